package dev.droptop.report;

/**
 * Escaping for text from traces (symbol names, reasons, file names) placed in the HTML page: as
 * element text or attribute value, and inside a JavaScript string literal in a script element.
 */
final class HtmlText {
    private HtmlText() {
    }

    /** Element text and quoted attribute values. */
    static void html(String s, StringBuilder out) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&': out.append("&amp;"); break;
                case '<': out.append("&lt;"); break;
                case '>': out.append("&gt;"); break;
                case '"': out.append("&quot;"); break;
                case '\'': out.append("&#39;"); break;
                default: out.append(c < 0x20 && c != '\t' && c != '\n' ? '?' : c);
            }
        }
    }

    static String html(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        html(s, sb);
        return sb.toString();
    }

    /**
     * The body of a JS string literal (either quote). {@code <}, {@code >} and {@code &} become
     * {@code \\u} escapes, so no {@code </script>} or {@code <!--} can end the script element early.
     */
    static void js(String s, StringBuilder out) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' || c == '"' || c == '\'') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x2028 || c == 0x2029 || c == 0x7f) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
    }
}
