package dev.droptop.system;

import dev.droptop.model.NetnsInfo;
import dev.droptop.model.NetnsNames;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Names network namespaces by inode from the running system: {@code ip netns} names (the inodes of
 * the bind mounts in /run/netns), else the lowest pid whose {@code /proc/PID/ns/net} is that
 * namespace, its comm, and the container of its cgroup ({@link CgroupContainer}); Kubernetes pod names
 * from {@code /var/log/pods/NAMESPACE_NAME_UID}. The table is cached and read again when an inode
 * it does not know is asked for: at once for an inode not asked before, else at most once per
 * {@code minRescanNanos} (a namespace that is gone stays unknown without a scan storm).
 */
public final class NetnsResolver implements NetnsNames {
    private static final long DEFAULT_RESCAN = 1_000_000_000L;

    private final Path runNetns;
    private final Path proc;
    private final Path podLogs;
    private final LongSupplier clock;
    private final long minRescanNanos;
    private final long self;
    private volatile Map<Long, NetnsInfo> table = Map.of();
    private final Map<Long, NetnsInfo> seen = new ConcurrentHashMap<>();
    /** Inodes asked for and not found (bounded: beyond it, rescans fall back to the period). */
    private final java.util.Set<Long> missed = new java.util.HashSet<>();
    private static final int MAX_MISSED = 4096;
    private long lastScan;
    private boolean scanned;
    private int scans;

    public NetnsResolver(Path runNetns, Path proc, Path podLogs, LongSupplier clock, long minRescanNanos) {
        this.runNetns = runNetns;
        this.proc = proc;
        this.podLogs = podLogs;
        this.clock = clock;
        this.minRescanNanos = minRescanNanos;
        this.self = nsInode(proc.resolve("self/ns/net"));
    }

    /** The running system's namespaces. */
    public static NetnsResolver live() {
        return new NetnsResolver(Netns.RUN_NETNS, Path.of("/proc"), Path.of("/var/log/pods"), System::nanoTime,
                DEFAULT_RESCAN);
    }

    @Override
    public NetnsInfo find(long inode) {
        if (inode == 0) {
            return null;
        }
        NetnsInfo i = table.get(inode);
        if (i == null) {
            synchronized (this) {
                i = table.get(inode);
                long now = clock.getAsLong();
                // a new inode always rescans (a namespace made just now); one asked before, at most once per period
                boolean fresh = missed.size() < MAX_MISSED && missed.add(inode);
                if (i == null && (!scanned || fresh || now - lastScan >= minRescanNanos)) {
                    scan();
                    lastScan = now;
                    scanned = true;
                    i = table.get(inode);
                }
            }
        }
        if (i == null) {
            // a namespace that is gone keeps the name it had when it was seen
            return seen.get(inode);
        }
        seen.put(inode, i);
        return i;
    }

    /** How many times the table was read (for tests of the cache). */
    public synchronized int scans() {
        return scans;
    }

    /** Everything asked for and found so far (what a capture stores). */
    public Map<Long, NetnsInfo> seen() {
        return Map.copyOf(seen);
    }

    private void scan() {
        scans++;
        Map<Long, String> names = new HashMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(runNetns)) {
            for (Path p : ds) {
                long ino = inode(p);
                if (ino > 0) {
                    names.putIfAbsent(ino, p.getFileName().toString());
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /run/netns: no names
        }
        Map<Long, Integer> lowestPid = new HashMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(proc)) {
            for (Path p : ds) {
                String f = p.getFileName().toString();
                if (!isPid(f)) {
                    continue;
                }
                long ino = nsInode(p.resolve("ns/net"));
                if (ino > 0) {
                    lowestPid.merge(ino, Integer.parseInt(f), Math::min);
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc: names only
        }
        Map<Long, NetnsInfo> next = new HashMap<>();
        for (Map.Entry<Long, String> e : names.entrySet()) {
            next.put(e.getKey(), info(e.getKey(), e.getValue(), lowestPid.getOrDefault(e.getKey(), 0)));
        }
        for (Map.Entry<Long, Integer> e : lowestPid.entrySet()) {
            next.putIfAbsent(e.getKey(), info(e.getKey(), null, e.getValue()));
        }
        table = Map.copyOf(next);
    }

    private NetnsInfo info(long inode, String name, int pid) {
        String comm = null;
        CgroupContainer c = CgroupContainer.NONE;
        if (pid > 0) {
            Path dir = proc.resolve(Integer.toString(pid));
            comm = read(dir.resolve("comm"));
            String cg = read(dir.resolve("cgroup"));
            if (cg != null) {
                c = CgroupContainer.parse(cg);
            }
        }
        return new NetnsInfo(inode, name, pid, comm == null ? null : comm.strip(), c.runtime(), c.id(), c.pod(),
                c.pod() == null ? null : podName(c.pod()), inode == self);
    }

    /** {@code namespace/name} from the kubelet's log directory {@code NAMESPACE_NAME_UID}, or null. */
    private String podName(String uid) {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(podLogs, "*_" + uid)) {
            for (Path p : ds) {
                String[] parts = p.getFileName().toString().split("_");
                if (parts.length == 3) {
                    return parts[0] + "/" + parts[1];
                }
            }
        } catch (IOException | RuntimeException e) {
            // not a Kubernetes node, or no logs: the UID alone
        }
        return null;
    }

    private static String read(Path p) {
        try {
            String s = Files.readString(p);
            return s.length() > 65536 ? s.substring(0, 65536) : s;
        } catch (IOException | RuntimeException e) {
            return null; // the process ended
        }
    }

    /** The inode {@code stat} sees: for a bind-mounted nsfs file, the namespace's inode. */
    static long inode(Path p) {
        try {
            Object ino = Files.getAttribute(p, "unix:ino");
            return ino instanceof Long l ? l : 0;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** {@code net:[4026531840]} of a {@code /proc/PID/ns/net} link, or 0. */
    static long nsInode(Path link) {
        try {
            String t = Files.readSymbolicLink(link).toString();
            if (t.startsWith("net:[") && t.endsWith("]")) {
                return Long.parseLong(t.substring(5, t.length() - 1));
            }
        } catch (IOException | RuntimeException e) {
            // gone, or not ours to read
        }
        return 0;
    }

    private static boolean isPid(String s) {
        if (s.isEmpty() || s.length() > 9) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
