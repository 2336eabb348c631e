package dev.droptop.system;

import dev.droptop.model.ConntrackState.KmsgCounts;
import dev.droptop.model.Interval;
import dev.droptop.model.NetKeys;
import dev.droptop.model.Snapshot;
import dev.droptop.model.SystemState;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Per-interval system counters for a capture ({@code CaptureWriter.setSystemCounters}): conntrack
 * count/max/buckets, the stat columns, the kernel log's table-full lines since droptop started, and
 * the TCP listen overflow/drop counters (which see SYNs the kfree_skb tracepoint does not).
 * Cheap (a few small /proc files, the log read non-blocking) and never throws: what cannot be read
 * is left out. Reads droptop's own network namespace, plus the network counters and sysctls of
 * {@link NetFacts} ({@link NetKeys}); after {@link #follow(Snapshot)}, those are read in the namespace
 * where most drops happened (when the backend records it and the namespace can be entered).
 */
public final class SystemSampler implements Supplier<Map<String, Long>>, AutoCloseable {
    private final ProcFs fs;
    private final KernelLog log;
    private final long entryBytes;
    /** Namespaces counted for {@link #follow(Interval)}: a bound for a host with thousands of them. */
    private static final int MAX_NAMESPACES = 1024;
    private final Map<Long, Long> seen = new java.util.HashMap<>();
    private volatile long followed;
    private long cachedInode;
    private Path cachedFile;

    private SystemSampler(ProcFs fs, KernelLog log) {
        this.fs = fs;
        this.log = log;
        this.entryBytes = SlabInfo.conntrackEntry(fs).bytes();
    }

    /** Starts counting kernel log lines now; without access to /dev/kmsg, samples carry no kmsg keys. */
    public static SystemSampler start(ProcFs fs) {
        KernelLog log;
        try {
            log = KernelLog.fromNow(fs);
        } catch (IOException | RuntimeException | UnsatisfiedLinkError e) {
            log = null;
        }
        return new SystemSampler(fs, log);
    }

    @Override
    public Map<String, Long> get() {
        Map<String, Long> m = new LinkedHashMap<>();
        try {
            ConntrackSysctls s = ConntrackSysctls.read(fs);
            m.put(SystemState.CT_COUNT, s.count());
            m.put(SystemState.CT_MAX, s.max());
            m.put(SystemState.CT_BUCKETS, s.buckets());
            m.put(SystemState.CT_ENTRY_BYTES, entryBytes);
            ConntrackStats.read(fs).forEach((k, v) -> m.put(SystemState.CT_STAT + k, v));
        } catch (IOException | RuntimeException e) {
            // conntrack not loaded or stat unreadable: keep what we have
        }
        try {
            Map<String, Long> ns = NetStat.read(fs);
            putIf(m, SystemState.TCP_LISTEN_OVERFLOWS, ns.get("TcpExt.ListenOverflows"));
            putIf(m, SystemState.TCP_LISTEN_DROPS, ns.get("TcpExt.ListenDrops"));
        } catch (IOException | RuntimeException e) {
            // no /proc/net/netstat: leave the TCP counters out
        }
        m.putAll(followedFacts(NetFacts.read(fs)));
        if (log != null) {
            KmsgCounts k = log.poll().counts("since droptop started");
            m.put(SystemState.KMSG_TABLE_FULL, k.tableFull());
            m.put(SystemState.KMSG_SUPPRESSED, k.suppressed());
        }
        return m;
    }

    /**
     * Reads the network facts in the namespace with the most drops of {@code s} from now on (drops
     * without a namespace, 0, do not count); nothing changes when no drop carries one.
     */
    public void follow(Snapshot s) {
        Map<Long, Long> byNetns = new java.util.HashMap<>();
        for (Snapshot.Row r : s.rows()) {
            if (r.key().netns() != 0) {
                byNetns.merge(r.key().netns(), r.total(), Long::sum);
            }
        }
        byNetns.entrySet().stream().max(Map.Entry.comparingByValue()).ifPresent(e -> followed = e.getKey());
    }

    /**
     * The same for a capture, fed every closed interval (before the writer samples for it): the namespace
     * with the most drops so far, so that the target does not flip between intervals.
     */
    public synchronized void follow(Interval interval) {
        for (Interval.Cell c : interval.cells()) {
            if (c.key().netns() != 0 && (seen.containsKey(c.key().netns()) || seen.size() < MAX_NAMESPACES)) {
                seen.merge(c.key().netns(), c.count(), Long::sum);
            }
        }
        seen.entrySet().stream().max(Map.Entry.comparingByValue()).ifPresent(e -> followed = e.getKey());
    }

    private Map<String, Long> followedFacts(Map<String, Long> ours) {
        long target = followed;
        if (target == 0 || !fs.threadSelf() || Long.valueOf(target).equals(ours.get(NetKeys.NETNS))) {
            return ours;
        }
        try {
            if (target != cachedInode) {
                cachedFile = Netns.fileOf(target).orElse(null);
                cachedInode = target;
            }
            if (cachedFile != null) {
                return NetFacts.overlay(ours, Netns.call(cachedFile, () -> NetFacts.read(fs)));
            }
        } catch (IOException | RuntimeException e) {
            cachedInode = 0; // the namespace went away: look again next time
        }
        return ours;
    }

    private static void putIf(Map<String, Long> m, String key, Long value) {
        if (value != null) {
            m.put(key, value);
        }
    }

    @Override
    public void close() {
        if (log != null) {
            log.close();
        }
    }
}
