package dev.droptop.model;

/**
 * Makes text from traces and files safe to print: control characters (C0, DEL, C1, which carry
 * ANSI/OSC escape sequences) become {@code ?}, so no byte of a trace can drive the terminal.
 */
public final class Sanitize {
    private Sanitize() {
    }

    public static String text(String s) {
        if (s == null) {
            return "";
        }
        int n = s.length();
        for (int i = 0; i < n; i++) {
            if (isControl(s.charAt(i))) {
                return replace(s);
            }
        }
        return s;
    }

    private static String replace(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(isControl(c) ? '?' : c);
        }
        return sb.toString();
    }

    private static boolean isControl(char c) {
        return c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\u2028' || c == '\u2029'
                || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069');
    }
}
