package dev.droptop.diagnose;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Sets a global (not per-netns) sysctl for a test and restores the saved value on close, from a
 * JVM shutdown hook should the test JVM be stopped before close runs, and from a watchdog once
 * {@link #MAX_HOLD_MILLIS} have passed: other work on the host sees the value meanwhile, so the
 * window is bounded by design however slow the machine is, not by an assertion on the clock.
 */
final class GlobalSysctl implements AutoCloseable {
    private final Path path;
    private final String saved;
    private final Thread hook;
    private final long since = System.nanoTime();
    private boolean restored;
    private long heldNanos = -1;

    /** The longest a test may hold a global value; the watchdog restores it then. */
    static final long MAX_HOLD_MILLIS = 20_000; // the recorded load itself runs under "timeout 20"
    private final Thread watchdog;

    private GlobalSysctl(Path path, String saved) {
        this.path = path;
        this.saved = saved;
        this.hook = new Thread(this::restore, "restore-" + path.getFileName());
        this.watchdog = new Thread(this::watch, "watchdog-" + path.getFileName());
        this.watchdog.setDaemon(true);
    }

    private void watch() {
        try {
            Thread.sleep(MAX_HOLD_MILLIS); // a deadline, not a wait for a condition
            restore();
        } catch (InterruptedException e) {
            // closed before the deadline
        }
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
        s.watchdog.start();
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
        watchdog.interrupt();
        restore();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook runs restore(), which is idempotent
        }
    }
}
