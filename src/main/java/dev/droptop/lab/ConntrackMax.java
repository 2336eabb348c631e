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
    /** The global hash table size (writable from the initial namespace). */
    public static final Path BUCKETS = Path.of("/proc/sys/net/netfilter/nf_conntrack_buckets");
    public static final Path STATE = Path.of("/run/droptop-lab.state");
    /** Held (flock) by whoever changed the global value, so two droptop runs or tests do not interleave. */
    public static final Path LOCK = Path.of("/run/droptop-conntrack-max.lock");
    private static final long LOCK_WAIT_MILLIS = 120_000;
    private final long saved;
    private final long savedBuckets;
    private FileChannel lockFile;
    private FileLock lock;
    private final Thread hook;
    private boolean restored;

    private ConntrackMax(long saved, long savedBuckets) {
        this.saved = saved;
        this.savedBuckets = savedBuckets;
        this.hook = new Thread(this::restore, "droptop-lab-restore-conntrack-max");
    }

    /**
     * Records the current value in {@link #STATE}, installs the shutdown hook, then sets {@code max}.
     * A state file left by a dead run is restored first; one of a live run makes this fail.
     */
    public static ConntrackMax set(long max) throws IOException {
        return set(max, 0);
    }

    /**
     * As {@link #set(long)}, and also sets nf_conntrack_buckets to {@code buckets} when that is more
     * than now (0: leave it); both are recorded first and both are restored.
     */
    public static ConntrackMax set(long max, long buckets) throws IOException {
        if (buckets < 0 || buckets > (1 << 24)) {
            throw new IOException("conntrack buckets must be 0.." + (1 << 24) + ", not " + buckets);
        }
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
        long currentBuckets = buckets > 0 && Files.exists(BUCKETS) ? ProcFs.number(BUCKETS) : 0;
        boolean grow = buckets > currentBuckets && currentBuckets > 0;
        Files.writeString(STATE, "nf_conntrack_max=" + current + "\n"
                + (grow ? "nf_conntrack_buckets=" + currentBuckets + "\n" : "")
                + "pid=" + ProcessHandle.current().pid() + "\n");
        ConntrackMax c = new ConntrackMax(current, grow ? currentBuckets : 0);
        c.lockFile = ch;
        c.lock = held;
        Runtime.getRuntime().addShutdownHook(c.hook);
        try {
            if (grow) {
                writeBuckets(buckets);
            }
            write(max);
        } catch (IOException e) {
            c.close();
            throw new IOException("cannot set conntrack limits: " + e.getMessage());
        }
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

    /** The buckets before the run (0 when this run did not change them). */
    public long savedBuckets() {
        return savedBuckets;
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

    static void writeBuckets(long value) throws IOException {
        Files.writeString(BUCKETS, Long.toString(value));
    }

    private synchronized void restore() {
        if (restored) {
            return;
        }
        try {
            write(saved);
            if (savedBuckets > 0) {
                writeBuckets(savedBuckets);
            }
            Files.deleteIfExists(STATE);
            restored = true;
            lock.release();
            lockFile.close();
        } catch (IOException e) {
            System.err.println("droptop: COULD NOT RESTORE nf_conntrack_max=" + saved
                    + (savedBuckets > 0 ? " nf_conntrack_buckets=" + savedBuckets : "") + " (" + e.getMessage()
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
