package dev.droptop.lab;

import dev.droptop.system.ProcFs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Sets the global {@code nf_conntrack_max} for a run and puts it back: on {@link #close()}, from a
 * JVM shutdown hook (Ctrl-C, SIGTERM), and, after kill -9, through {@code droptop lab cleanup}, which
 * reads the original value from {@link #STATE}, written before the value is changed.
 */
public final class ConntrackMax implements AutoCloseable {
    public static final Path MAX = Path.of("/proc/sys/net/netfilter/nf_conntrack_max");
    public static final Path STATE = Path.of("/run/droptop-lab.state");
    /** Held (flock) by whoever changed the global value, so two droptop runs or tests do not interleave. */
    public static final Path LOCK = Path.of("/run/droptop-conntrack-max.lock");
    private static final long LOCK_WAIT_MILLIS = 120_000;
    private final long saved;
    private FileChannel lockFile;
    private FileLock lock;
    private final Thread hook;
    private boolean restored;

    private ConntrackMax(long saved) {
        this.saved = saved;
        this.hook = new Thread(this::restore, "droptop-lab-restore-conntrack-max");
    }

    /**
     * Records the current value in {@link #STATE}, installs the shutdown hook, then sets {@code max}.
     * A state file left by a dead run is restored first; one of a live run makes this fail.
     */
    public static ConntrackMax set(long max) throws IOException {
        if (max < 1 || max > Integer.MAX_VALUE) {
            throw new IOException("--conntrack-max must be 1.." + Integer.MAX_VALUE + ", not " + max);
        }
        FileChannel ch = FileChannel.open(LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock held;
        try {
            held = acquire(ch);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        Optional<String> left = Cleanup.restoreLeftState();
        if (left.isPresent()) {
            System.err.println("droptop: " + left.get());
        }
        long current = read();
        Files.writeString(STATE, "nf_conntrack_max=" + current + "\npid=" + ProcessHandle.current().pid() + "\n");
        ConntrackMax c = new ConntrackMax(current);
        c.lockFile = ch;
        c.lock = held;
        Runtime.getRuntime().addShutdownHook(c.hook);
        write(max);
        return c;
    }

    /** Waits (up to 2 min) for another run or test that changed nf_conntrack_max to put it back. */
    private static FileLock acquire(FileChannel ch) throws IOException {
        long deadline = System.currentTimeMillis() + LOCK_WAIT_MILLIS;
        boolean said = false;
        while (true) {
            FileLock l = ch.tryLock();
            if (l != null) {
                return l;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IOException("another droptop run holds " + LOCK + " (it changed nf_conntrack_max); try later");
            }
            if (!said) {
                System.err.println("droptop: waiting for another run that changed nf_conntrack_max (" + LOCK + ")");
                said = true;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for " + LOCK);
            }
        }
    }

    public long saved() {
        return saved;
    }

    /** The global value now. */
    public static long read() throws IOException {
        if (!Files.exists(MAX)) {
            throw new IOException("no " + MAX + ": nf_conntrack is not loaded (modprobe nf_conntrack)");
        }
        return ProcFs.number(MAX);
    }

    static void write(long value) throws IOException {
        Files.writeString(MAX, Long.toString(value));
    }

    private synchronized void restore() {
        if (restored) {
            return;
        }
        try {
            write(saved);
            Files.deleteIfExists(STATE);
            restored = true;
            lock.release();
            lockFile.close();
        } catch (IOException e) {
            System.err.println("droptop: COULD NOT RESTORE nf_conntrack_max=" + saved + " (" + e.getMessage()
                    + "); run 'droptop lab cleanup'");
        }
    }

    @Override
    public void close() {
        restore();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // shutting down: the hook runs restore(), which is idempotent
        }
    }
}
