package dev.droptop.tui;

import com.googlecode.lanterna.terminal.DefaultTerminalFactory;
import com.googlecode.lanterna.terminal.Terminal;
import com.googlecode.lanterna.terminal.ansi.UnixLikeTerminal;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/** Opens the real terminal and reads what the environment says about it (UTF-8, NO_COLOR). */
public final class Terminals {
    private Terminals() {
    }

    /** How to draw: colours (off when NO_COLOR is set, https://no-color.org) and Unicode glyphs. */
    public record Style(boolean color, boolean unicode) {
        public static Style of(Map<String, String> env) {
            String noColor = env.get("NO_COLOR");
            return new Style(noColor == null || noColor.isEmpty(), isUtf8(env));
        }
    }

    /** UTF-8 when the first set of LC_ALL, LC_CTYPE, LANG names it (the POSIX order). */
    static boolean isUtf8(Map<String, String> env) {
        for (String name : new String[] {"LC_ALL", "LC_CTYPE", "LANG"}) {
            String v = env.get(name);
            if (v != null && !v.isEmpty()) {
                String l = v.toLowerCase(Locale.ROOT);
                return l.contains("utf-8") || l.contains("utf8");
            }
        }
        return false;
    }

    /** The terminal on stdin/stdout, text only (never a Swing window); Ctrl-C arrives as a key. */
    public static Terminal open(Style style) throws IOException {
        Charset cs = style.unicode() ? StandardCharsets.UTF_8 : StandardCharsets.US_ASCII;
        return new DefaultTerminalFactory(System.out, System.in, cs).setForceTextTerminal(true)
                .setUnixTerminalCtrlCBehaviour(UnixLikeTerminal.CtrlCBehaviour.TRAP).createTerminal();
    }
}
