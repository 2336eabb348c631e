package dev.droptop.diagnose;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Sets a global (not per-netns) sysctl for a test and restores the saved value on close, and from a
 * JVM shutdown hook should the test JVM be stopped before close runs. Keep the window short: other
 * work on the host sees the value meanwhile.
 */
final class GlobalSysctl implements AutoCloseable {
    private final Path path;
    private final String saved;
    private final Thread hook;
    private final long since = System.nanoTime();
    private boolean restored;
    private long heldNanos = -1;

    private GlobalSysctl(Path path, String saved) {
        this.path = path;
        this.saved = saved;
        this.hook = new Thread(this::restore, "restore-" + path.getFileName());
    }

    /** {@code name} as under /proc/sys with dots ({@code net.core.netdev_max_backlog}). */
    static GlobalSysctl set(String name, long value) throws IOException {
        return set(name, Long.toString(value));
    }

    /** A sysctl of several numbers ({@code net.ipv4.udp_mem} "a b c"). */
    static GlobalSysctl set(String name, String value) throws IOException {
        Path p = Path.of("/proc/sys", name.replace('.', '/'));
        GlobalSysctl s = new GlobalSysctl(p, dev.droptop.system.ProcFs.text(p).trim());
        Runtime.getRuntime().addShutdownHook(s.hook);
        Files.writeString(p, value);
        return s;
    }

    String saved() {
        return saved;
    }

    /** How long the value was held, in ms (valid after close). */
    long heldMillis() {
        return heldNanos / 1_000_000;
    }

    private synchronized void restore() {
        if (!restored) {
            try {
                Files.writeString(path, saved);
                restored = true;
                heldNanos = System.nanoTime() - since;
            } catch (IOException e) {
                System.err.println("COULD NOT RESTORE " + path + "=" + saved + ": " + e.getMessage());
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
