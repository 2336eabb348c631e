package dev.droptop.system;

import dev.droptop.model.ConntrackState;
import dev.droptop.model.ConntrackState.ConntrackEntries;
import dev.droptop.model.ConntrackState.KmsgCounts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * One look at conntrack: sysctls, stat counters, the kernel log's table-full lines of the last
 * minutes, the entry size and the entries by state and source, put together as a
 * {@link ConntrackState}. Optionally inside a named network namespace.
 */
public final class ConntrackProbe {
    public static final int TOP_SOURCES = 10;

    private ConntrackProbe() {
    }

    /**
     * Reads conntrack in network namespace {@code netns} (null: droptop's own).
     *
     * @param logMinutes count table-full kernel log lines of the last this many minutes
     * @throws ConntrackUnavailable when conntrack is not loaded
     */
    public static ConntrackState look(String netns, int logMinutes) throws IOException {
        ProcFs fs = ProcFs.live();
        KmsgCounts kmsg = recentLog(fs, logMinutes, netns);
        if (netns == null) {
            return look(fs, kmsg);
        }
        return Netns.call(netns, () -> look(fs, kmsg));
    }

    /** Reads everything but the kernel log from {@code fs}, on the calling thread. */
    public static ConntrackState look(ProcFs fs, KmsgCounts kmsg) throws IOException {
        ConntrackSysctls s = ConntrackSysctls.read(fs);
        Map<String, Long> stats;
        try {
            stats = ConntrackStats.read(fs);
        } catch (IOException e) {
            stats = Map.of();
        }
        ConntrackEntries entries;
        try {
            entries = ConntrackTable.read(fs, TOP_SOURCES);
        } catch (IOException e) {
            entries = null; // not root, or a kernel without CONFIG_NF_CONNTRACK_PROCFS
        }
        SlabInfo.EntrySize size = SlabInfo.conntrackEntry(fs);
        return new ConntrackState(s.count(), s.max(), s.buckets(), s.tcpTimeouts(), stats, kmsg, size.bytes(),
                size.source(), entries);
    }

    /**
     * Table-full lines of namespace {@code netns} (null: droptop's own) logged in the last {@code minutes}
     * (the whole log is read, non-blocking).
     */
    public static KmsgCounts recentLog(ProcFs fs, int minutes, String netns) {
        try {
            long now = uptimeUsec(fs);
            long since = Math.max(0, now - minutes * 60_000_000L);
            Path ns = netns == null ? fs.proc("self/ns/net") : Netns.RUN_NETNS.resolve(netns);
            long inode = ((Number) Files.getAttribute(ns, "unix:ino")).longValue();
            try (KernelLog log = KernelLog.since(fs, since).onlyNetns(inode, isInitNetns(fs, inode))) {
                return log.poll().counts(String.format(Locale.ROOT, "last %d min of the kernel log", minutes));
            }
        } catch (IOException | RuntimeException | UnsatisfiedLinkError e) {
            return KmsgCounts.NONE;
        }
    }

    /**
     * True for the initial network namespace: its inode is the kernel constant PROC_NET_INIT_INO
     * (0xEFFFFFF9, include/linux/proc_ns.h); /proc/1/ns/net is not always readable (sandboxes).
     */
    static boolean isInitNetns(ProcFs fs, long inode) {
        try {
            return inode == ((Number) Files.getAttribute(fs.proc("1/ns/net"), "unix:ino")).longValue();
        } catch (IOException | RuntimeException e) {
            return inode == PROC_NET_INIT_INO;
        }
    }

    private static final long PROC_NET_INIT_INO = 0xEFFFFFF9L;

    static long uptimeUsec(ProcFs fs) throws IOException {
        String s = new String(Files.readAllBytes(fs.proc("uptime")), StandardCharsets.US_ASCII).trim();
        int sp = s.indexOf(' ');
        try {
            return (long) (Double.parseDouble(sp < 0 ? s : s.substring(0, sp)) * 1e6);
        } catch (NumberFormatException e) {
            throw new IOException(fs.proc("uptime") + ": unreadable");
        }
    }
}
