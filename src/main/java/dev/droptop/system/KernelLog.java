package dev.droptop.system;

import com.sun.jna.Native;
import dev.droptop.model.ConntrackState.KmsgCounts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Counts conntrack's table-full lines in the kernel log, read from {@code /dev/kmsg} opened
 * non-blocking: a read returns one record, or EAGAIN once the log is drained, so {@link #poll()} never
 * blocks. Records look like
 * <pre>
 * 4,339,766736868,-;nf_conntrack: nf_conntrack: table full in netns 4026532246, dropping packet
 * 4,349,772569297,-;net_ratelimit: 1790 callbacks suppressed
 * </pre>
 * (priority, sequence, microseconds since boot, flags; message). {@code net_ratelimit} suppression
 * covers every rate-limited network message, not only conntrack's. Not thread-safe.
 */
public final class KernelLog implements AutoCloseable {
    public static final String TABLE_FULL = "nf_conntrack: table full";
    private static final String SUPPRESSED = "net_ratelimit: ";
    private static final int MAX_RECORDS_PER_POLL = 100_000;

    private final int fd;
    private final long sinceUsec;
    private final byte[] buf = new byte[8192];
    private long netnsInode = -1;
    private boolean countUnnamed = true;
    private long tableFull;
    private long suppressed;

    private KernelLog(int fd, long sinceUsec) {
        this.fd = fd;
        this.sinceUsec = sinceUsec;
    }

    /** Opens the log positioned after its last record: counts what is logged from now on. */
    public static KernelLog fromNow(ProcFs fs) throws IOException {
        KernelLog log = new KernelLog(open(fs), 0);
        Libc.C.lseek(log.fd, 0, Libc.SEEK_END);
        return log;
    }

    /** Opens the log at its oldest record, counting records logged at or after {@code sinceUsec}. */
    public static KernelLog since(ProcFs fs, long sinceUsec) throws IOException {
        return new KernelLog(open(fs), sinceUsec);
    }

    private static int open(ProcFs fs) throws IOException {
        Path p = fs.dev("kmsg");
        int fd;
        try {
            fd = Libc.C.open(p.toString(), Libc.O_RDONLY | Libc.O_NONBLOCK | Libc.O_CLOEXEC);
        } catch (UnsatisfiedLinkError e) {
            throw new IOException("cannot call libc open(): " + e.getMessage());
        }
        if (fd < 0) {
            throw new IOException("cannot open " + p + ": errno " + Native.getLastError());
        }
        return fd;
    }

    /**
     * Counts only table-full lines of the network namespace with this inode ({@code ... in netns N, ...});
     * lines without a netns (older kernels, the initial namespace) count only when {@code initial}.
     */
    public KernelLog onlyNetns(long inode, boolean initial) {
        this.netnsInode = inode;
        this.countUnnamed = initial;
        return this;
    }

    /** Reads every record available now, without blocking. */
    public synchronized KernelLog poll() {
        for (int i = 0; i < MAX_RECORDS_PER_POLL; i++) {
            long n = Libc.C.read(fd, buf, buf.length);
            if (n < 0) {
                int errno = Native.getLastError();
                if (errno == Libc.EPIPE || errno == Libc.EINTR) {
                    continue; // EPIPE: records were overwritten before we read them; go on with the next
                }
                return this; // EAGAIN: drained
            }
            if (n == 0) {
                return this; // a regular file (recorded copy) at its end
            }
            onRecords(new String(buf, 0, (int) n, StandardCharsets.UTF_8));
        }
        return this;
    }

    /** One read gives one record from /dev/kmsg; a recorded copy gives many lines at once. */
    void onRecords(String text) {
        for (String line : text.split("\n")) {
            int semi = line.indexOf(';');
            if (semi < 0 || line.startsWith(" ")) {
                continue; // continuation lines (" SUBSYSTEM=...") carry no message
            }
            if (usec(line, semi) < sinceUsec) {
                continue;
            }
            onMessage(line.substring(semi + 1));
        }
    }

    private void onMessage(String msg) {
        if (msg.contains(TABLE_FULL)) {
            tableFull += ofOurNetns(msg) ? 1 : 0;
        } else if (msg.startsWith(SUPPRESSED) && msg.endsWith(" callbacks suppressed")) {
            int sp = msg.indexOf(' ', SUPPRESSED.length());
            try {
                suppressed += Long.parseLong(msg.substring(SUPPRESSED.length(), sp));
            } catch (RuntimeException e) {
                // not the usual shape: ignore
            }
        }
    }

    private boolean ofOurNetns(String msg) {
        if (netnsInode < 0) {
            return true;
        }
        return msg.contains(" in netns ") ? msg.contains(" in netns " + netnsInode + ",") : countUnnamed;
    }

    private static long usec(String line, int semi) {
        String[] f = line.substring(0, semi).split(",");
        try {
            return f.length >= 3 ? Long.parseLong(f[2]) : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    public synchronized KmsgCounts counts(String window) {
        return new KmsgCounts(tableFull, suppressed, window);
    }

    @Override
    public synchronized void close() {
        Libc.C.close(fd);
    }
}
