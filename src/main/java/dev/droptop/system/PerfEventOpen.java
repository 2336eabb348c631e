package dev.droptop.system;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * perf_event_open(2) on one tracepoint, one event per online CPU, each with its mmap'ed ring buffer
 * (1 metadata page + 2^n data pages) read in this process: no perf child, no pipe. The reader reads
 * {@code data_head} with acquire semantics, copies the records out, then publishes {@code data_tail}
 * with release semantics (the ordering the kernel's perf_event_mmap_page comment asks for), so the
 * kernel never overwrites what is being copied. Samples carry {@code TIME|CPU|RAW} (and
 * {@code CALLCHAIN}, kernel frames only, with stacks); a full ring makes the kernel write a
 * PERF_RECORD_LOST with the count, decoded like any record. Wakeups come by watermark (a quarter of
 * the ring) so a flood does not pay a wakeup per event; {@link #await} polls with a timeout so a
 * trickle is still read promptly. x86_64 and aarch64 only (the syscall number).
 */
public final class PerfEventOpen implements AutoCloseable {
    /** PERF_TYPE_TRACEPOINT. */
    public static final int TYPE_TRACEPOINT = 2;
    public static final long SAMPLE_TIME = 1L << 2;
    public static final long SAMPLE_CALLCHAIN = 1L << 5;
    public static final long SAMPLE_CPU = 1L << 7;
    public static final long SAMPLE_RAW = 1L << 10;
    private static final int ATTR_SIZE = 112; // PERF_ATTR_SIZE_VER5
    private static final long FLAG_DISABLED = 1L;
    private static final long FLAG_WATERMARK = 1L << 14;
    private static final long FLAG_EXCLUDE_CALLCHAIN_USER = 1L << 22;
    private static final long PERF_FLAG_FD_CLOEXEC = 8;
    private static final int PROT_READ = 1;
    private static final int PROT_WRITE = 2;
    private static final int MAP_SHARED = 1;
    private static final short POLLIN = 1;
    private static final int SC_PAGESIZE = 30;
    private static final int DATA_HEAD = 1024;
    private static final int DATA_TAIL = 1032;
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private interface Sys extends Library {
        Sys C = Native.load("c", Sys.class);

        long syscall(long number, Pointer attr, long pid, long cpu, long groupFd, long flags);

        Pointer mmap(Pointer addr, long length, int prot, int flags, int fd, long offset);

        int munmap(Pointer addr, long length);

        int poll(Pointer fds, long nfds, int timeout);

        int close(int fd);

        long sysconf(int name);
    }

    private final int[] fds;
    private final Pointer[] maps;
    private final ByteBuffer[] rings;
    private final long mapBytes;
    private final int dataBytes;
    private final int pageSize;
    private final Memory pollFds;
    private boolean closed;

    private PerfEventOpen(int n, int pageSize, int dataPages) {
        this.fds = new int[n];
        java.util.Arrays.fill(fds, -1);
        this.maps = new Pointer[n];
        this.rings = new ByteBuffer[n];
        this.pageSize = pageSize;
        this.dataBytes = pageSize * dataPages;
        this.mapBytes = (long) pageSize * (1 + dataPages);
        this.pollFds = new Memory(8L * n);
    }

    /** The perf_event_open syscall number of this architecture, or -1 when droptop does not know it. */
    public static long syscallNumber() {
        return switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> 298;
            case "aarch64" -> 241;
            default -> -1;
        };
    }

    /** Online CPU numbers from /sys/devices/system/cpu/online ({@code 0-3,6}). */
    public static List<Integer> onlineCpus() throws IOException {
        List<Integer> cpus = new ArrayList<>();
        for (String part : Files.readString(Path.of("/sys/devices/system/cpu/online")).trim().split(",")) {
            int dash = part.indexOf('-');
            int from = Integer.parseInt(dash < 0 ? part : part.substring(0, dash));
            int to = dash < 0 ? from : Integer.parseInt(part.substring(dash + 1));
            for (int c = from; c <= to; c++) {
                cpus.add(c);
            }
        }
        return cpus;
    }

    /**
     * Whether the kernel lets this process open tracepoint {@code id} on the first online CPU: opens it
     * disabled, without a ring, and closes it at once. Null when it works, else why not (errno 1/13:
     * no permission, 38: no perf_event_open, as in a container whose seccomp profile blocks it).
     */
    public static String probe(long id) {
        long nr = syscallNumber();
        if (nr < 0) {
            return "perf_event_open is not wired for " + System.getProperty("os.arch");
        }
        try (Memory attr = new Memory(ATTR_SIZE)) {
            attr.clear();
            attr.setInt(0, TYPE_TRACEPOINT);
            attr.setInt(4, ATTR_SIZE);
            attr.setLong(8, id);
            attr.setLong(16, 1);
            attr.setLong(40, FLAG_DISABLED);
            long fd = Sys.C.syscall(nr, attr, -1, onlineCpus().get(0), -1, PERF_FLAG_FD_CLOEXEC);
            if (fd < 0) {
                return "perf_event_open of tracepoint " + id + " failed: errno " + Native.getLastError();
            }
            Sys.C.close((int) fd);
            return null;
        } catch (IOException | RuntimeException e) {
            return "cannot list the online CPUs: " + e.getMessage();
        }
    }

    /**
     * Opens tracepoint {@code id} on every online CPU with a ring of {@code dataPages} pages (a power
     * of two) each; closes what it opened when one fails.
     */
    public static PerfEventOpen open(long id, long sampleType, boolean kernelCallchainOnly, int dataPages)
            throws IOException {
        long nr = syscallNumber();
        if (nr < 0) {
            throw new IOException("perf_event_open is not wired for " + System.getProperty("os.arch"));
        }
        if (Integer.bitCount(dataPages) != 1) {
            throw new IllegalArgumentException("ring pages must be a power of two: " + dataPages);
        }
        List<Integer> cpus = onlineCpus();
        int page = pageSize();
        PerfEventOpen p = new PerfEventOpen(cpus.size(), page, dataPages);
        Memory attr = new Memory(ATTR_SIZE);
        attr.clear();
        attr.setInt(0, TYPE_TRACEPOINT);
        attr.setInt(4, ATTR_SIZE);
        attr.setLong(8, id);
        attr.setLong(16, 1); // sample_period
        attr.setLong(24, sampleType);
        attr.setLong(40, FLAG_WATERMARK | (kernelCallchainOnly ? FLAG_EXCLUDE_CALLCHAIN_USER : 0));
        attr.setInt(48, p.dataBytes / 4); // wakeup_watermark in bytes
        try {
            for (int i = 0; i < cpus.size(); i++) {
                long fd = Sys.C.syscall(nr, attr, -1, cpus.get(i), -1, PERF_FLAG_FD_CLOEXEC);
                if (fd < 0) {
                    throw new IOException("perf_event_open on cpu " + cpus.get(i) + " failed: errno "
                            + Native.getLastError());
                }
                p.fds[i] = (int) fd;
                Pointer m = Sys.C.mmap(null, p.mapBytes, PROT_READ | PROT_WRITE, MAP_SHARED, (int) fd, 0);
                if (m == null || Pointer.nativeValue(m) == -1) {
                    throw new IOException("mmap of the perf ring on cpu " + cpus.get(i) + " failed: errno "
                            + Native.getLastError());
                }
                p.maps[i] = m;
                p.rings[i] = m.getByteBuffer(0, p.mapBytes).order(ByteOrder.nativeOrder());
                p.pollFds.setInt(8L * i, (int) fd);
                p.pollFds.setShort(8L * i + 4, POLLIN);
            }
        } catch (IOException | RuntimeException e) {
            p.close();
            throw e;
        }
        return p;
    }

    private static int pageSize() {
        long size = Sys.C.sysconf(SC_PAGESIZE);
        return size > 0 ? (int) size : 4096;
    }

    /** Number of rings (online CPUs). */
    public int rings() {
        return fds.length;
    }

    /** Bytes of one ring's data area: a buffer this large holds everything {@link #drain} can return. */
    public int ringBytes() {
        return dataBytes;
    }

    /** Waits up to {@code millis} for a ring to pass its watermark; false on timeout or EINTR. */
    public boolean await(int millis) {
        for (int i = 0; i < fds.length; i++) {
            pollFds.setShort(8L * i + 6, (short) 0);
        }
        return Sys.C.poll(pollFds, fds.length, millis) > 0;
    }

    /**
     * Copies the records of ring {@code i} written since the last drain into {@code out} from index 0
     * (at least {@link #ringBytes()} long), frees that space for the kernel, and returns the byte count.
     * Records that wrapped around the ring's end come out contiguous.
     */
    public int drain(int i, byte[] out) {
        ByteBuffer r = rings[i];
        long head = (long) LONGS.getAcquire(r, DATA_HEAD);
        long tail = (long) LONGS.get(r, DATA_TAIL);
        int n = (int) Math.min(head - tail, dataBytes);
        if (n <= 0) {
            return 0;
        }
        int from = (int) (tail & (dataBytes - 1));
        int first = Math.min(n, dataBytes - from);
        r.get(pageSize + from, out, 0, first);
        if (first < n) {
            r.get(pageSize, out, first, n - first);
        }
        LONGS.setRelease(r, DATA_TAIL, tail + n);
        return n;
    }

    /** Unmaps the rings and closes the events. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (int i = 0; i < fds.length; i++) {
            if (maps[i] != null) {
                Sys.C.munmap(maps[i], mapBytes);
                maps[i] = null;
                rings[i] = null;
            }
            if (fds[i] >= 0) {
                Sys.C.close(fds[i]);
                fds[i] = -1;
            }
        }
    }
}
