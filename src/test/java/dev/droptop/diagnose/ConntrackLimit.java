package dev.droptop.diagnose;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Lowers the global nf_conntrack_max for a test and restores it on close, and from a JVM shutdown
 * hook should the test JVM be stopped before close runs.
 */
final class ConntrackLimit implements AutoCloseable {
    private static final Path MAX = Path.of("/proc/sys/net/netfilter/nf_conntrack_max");
    private final String saved;
    private final Thread hook;
    private boolean restored;

    private ConntrackLimit(String saved) {
        this.saved = saved;
        this.hook = new Thread(this::restore, "restore-nf_conntrack_max");
    }

    static ConntrackLimit lowerTo(long max) throws IOException {
        byte[] buf = new byte[64];
        int n;
        try (var in = Files.newInputStream(MAX)) {
            n = in.read(buf);
        }
        ConntrackLimit l = new ConntrackLimit(new String(buf, 0, n, StandardCharsets.US_ASCII).trim());
        Runtime.getRuntime().addShutdownHook(l.hook);
        Files.writeString(MAX, Long.toString(max));
        return l;
    }

    private synchronized void restore() {
        if (!restored) {
            try {
                Files.writeString(MAX, saved);
                restored = true;
            } catch (IOException e) {
                System.err.println("COULD NOT RESTORE nf_conntrack_max=" + saved + ": " + e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        restore();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook runs restore(), which is idempotent
        }
    }
}
