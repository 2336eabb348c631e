package dev.droptop.tui;

import com.googlecode.lanterna.terminal.DefaultTerminalFactory;
import com.googlecode.lanterna.terminal.Terminal;
import com.googlecode.lanterna.terminal.ansi.UnixLikeTerminal;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

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

    /**
     * Opens the terminal on another thread (Lanterna runs {@code stty} several times, about 0.3 s), so
     * the caller can load its data meanwhile; {@link Opening#discard} closes it when loading fails.
     */
    public static Opening openAsync(Style style) {
        return new Opening(style, CompletableFuture.supplyAsync(() -> {
            try {
                return open(style);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }));
    }

    /**
     * Standard output, buffered: Lanterna writes one character per call and flushes at the end of a
     * refresh, so a frame goes out in a few writes instead of one per cell (less CPU, no torn frames).
     * Status queries ({@code ESC [ 6 n}) are flushed at once, because Lanterna waits for the answer.
     */
    private static final class Output extends BufferedOutputStream {
        Output() {
            super(new FileOutputStream(FileDescriptor.out), 1 << 16);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            super.write(b, off, len);
            if (len >= 2 && b[off + len - 1] == 'n' && b[off] == 0x1b) {
                flush();
            }
        }
    }

    /** A terminal being opened. */
    public record Opening(Style style, CompletableFuture<Terminal> future) {
        /** The open terminal, or the reason it could not be opened. */
        Terminal join() throws IOException {
            try {
                return future.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof UncheckedIOException) {
                    throw ((UncheckedIOException) e.getCause()).getCause();
                }
                throw new IOException("cannot open the terminal: " + e.getCause(), e.getCause());
            }
        }

        /** Closes the terminal (restoring the tty), ignoring failures: the caller's error is the one to report. */
        public void discard() {
            try {
                join().close();
            } catch (IOException | RuntimeException e) {
                // nothing more to restore
            }
        }
    }

    /** The terminal on stdin/stdout, text only (never a Swing window); Ctrl-C arrives as a key. */
    public static Terminal open(Style style) throws IOException {
        Charset cs = style.unicode() ? StandardCharsets.UTF_8 : StandardCharsets.US_ASCII;
        return new DefaultTerminalFactory(new Output(), System.in, cs).setForceTextTerminal(true)
                .setUnixTerminalCtrlCBehaviour(UnixLikeTerminal.CtrlCBehaviour.TRAP).createTerminal();
    }
}
