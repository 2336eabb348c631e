package dev.droptop.source;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Inputs that are streams rather than files: {@code -} (standard input), and pipes given by name
 * ({@code /dev/stdin}, {@code <(cmd)}, a FIFO). Text traces and captures are streamed; a perf.data
 * arriving this way is first copied to a temporary file (perf.data may need a second pass through
 * {@code perf script}), at most {@link #MAX_SPOOL_BYTES}, and that file is always removed: by the
 * caller when done, and at JVM exit (SIGINT, SIGTERM) if the caller did not get to it.
 */
public final class StdinInput {
    /** The name users give for standard input. */
    public static final String DASH = "-";
    /** Largest piped perf.data droptop copies to a temporary file (2 GiB). */
    public static final long MAX_SPOOL_BYTES = 2L << 30;

    /** The process's own standard input (tests replace System.in). */
    private static final InputStream STDIN = System.in;

    private StdinInput() {
    }

    /** True for {@code -}. */
    public static boolean isDash(Path p) {
        return p != null && DASH.equals(p.toString());
    }

    /** True for {@code -} and for names of pipes and character devices (not regular files, not directories). */
    public static boolean isStream(Path p) {
        return isDash(p) || Files.exists(p) && !Files.isRegularFile(p) && !Files.isDirectory(p);
    }

    /** The name shown in messages and reports: {@code standard input} for {@code -}. */
    public static String displayName(Path p) {
        return isDash(p) ? "standard input" : p.toString();
    }

    /** Opens {@code p}: standard input for {@code -} (not closed by closing the returned stream). */
    public static InputStream open(Path p) throws IOException {
        if (isDash(p)) {
            if (dev.droptop.system.HostInfo.isTerminal(0) && System.in == STDIN) {
                System.err.println("droptop: reading the trace from standard input (the terminal); Ctrl-D ends it");
            }
            return new java.io.FilterInputStream(System.in) {
                @Override
                public void close() {
                    // standard input stays open for the rest of droptop
                }
            };
        }
        return Files.newInputStream(p);
    }

    /**
     * Copies {@code in} to a new temporary file (mode 0600, deleted at JVM exit at the latest) and
     * returns it; the caller deletes it when done. Input larger than {@link #MAX_SPOOL_BYTES} is an
     * IOException, and the partial copy is removed.
     */
    public static Path spool(InputStream in, String name) throws IOException {
        Path tmp = Files.createTempFile("droptop-stdin", ".data");
        tmp.toFile().deleteOnExit();
        boolean ok = false;
        try (OutputStream out = Files.newOutputStream(tmp)) {
            byte[] buf = new byte[1 << 16];
            long total = 0;
            for (int n; (n = in.read(buf)) > 0; ) {
                total += n;
                if (total > MAX_SPOOL_BYTES) {
                    throw new IOException(name + ": piped perf.data larger than " + (MAX_SPOOL_BYTES >> 30)
                            + " GiB: save it to a file and give its name");
                }
                out.write(buf, 0, n);
            }
            ok = true;
            return tmp;
        } finally {
            if (!ok) {
                Files.deleteIfExists(tmp);
            }
        }
    }
}
