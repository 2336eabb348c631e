package dev.droptop.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the running machine offers for drop tracing, read from {@code /proc} and {@code /sys} only
 * (no child process, no side effect). On the CI machine:
 * <pre>
 * kernel 6.18.44-fc-v657, euid 0, CapEff 000001fffeffffff, tracefs /sys/kernel/tracing,
 * BTF yes, kfree_skb yes with reason (127 names), modules: no /proc/modules
 * </pre>
 *
 * @param root         the file system root the facts were read under ("/" normally; a copy in tests)
 * @param release      {@code /proc/sys/kernel/osrelease}, e.g. {@code 6.18.44-fc-v657}
 * @param euid         effective uid from {@code /proc/self/status}, -1 when unreadable
 * @param capEff       effective capability mask from {@code /proc/self/status}
 * @param tracefs      the tracefs mount holding {@code events/skb/kfree_skb}, or null
 * @param reasonNames  entries of the tracepoint's reason table (0 when the field is absent)
 */
public record HostFacts(Path root, String release, int euid, long capEff, Path tracefs, boolean btf,
                        boolean reasonField, int reasonNames, boolean modulesListed, boolean modulesDisabled) {
    public static final int CAP_SYS_ADMIN = 21;
    public static final int CAP_PERFMON = 38;
    public static final int CAP_BPF = 39;
    private static final String KFREE_SKB = "events/skb/kfree_skb/format";

    public static HostFacts read() {
        return read(Path.of("/"));
    }

    public static HostFacts read(Path root) {
        String release = text(root.resolve("proc/sys/kernel/osrelease")).trim();
        String status = text(root.resolve("proc/self/status"));
        Path tracefs = tracefs(root);
        TracepointFormat format = null;
        if (tracefs != null) {
            try {
                format = TracepointFormat.read(tracefs.resolve(KFREE_SKB));
            } catch (IOException e) {
                // unreadable: treated as absent
            }
        }
        boolean reason = format != null && format.hasField("reason");
        return new HostFacts(root, release.isEmpty() ? "unknown" : release, (int) statusField(status, "Uid:", 1, 10),
                statusField(status, "CapEff:", 0, 16), format == null ? null : tracefs,
                Files.exists(root.resolve("sys/kernel/btf/vmlinux")), reason,
                reason ? format.reasons().table().size() : 0, Files.exists(root.resolve("proc/modules")),
                "1".equals(text(root.resolve("proc/sys/kernel/modules_disabled")).trim()));
    }

    public boolean isRoot() {
        return euid == 0;
    }

    public boolean hasCap(int cap) {
        return (capEff >>> cap & 1) == 1;
    }

    /** Root with the capabilities BPF tracing needs (CAP_BPF + CAP_PERFMON, or CAP_SYS_ADMIN). */
    public boolean canTraceBpf() {
        return isRoot() && (hasCap(CAP_SYS_ADMIN) || hasCap(CAP_BPF) && hasCap(CAP_PERFMON));
    }

    /** Kernel modules can be loaded: {@code /proc/modules} exists and modules_disabled is not 1. */
    public boolean modulesLoadable() {
        return modulesListed && !modulesDisabled;
    }

    /** {@code /lib/modules/RELEASE/build}, the tree SystemTap compiles its module against. */
    public Path buildTree() {
        return root.resolve("lib/modules").resolve(release).resolve("build");
    }

    private static Path tracefs(Path root) {
        for (String p : new String[] {"sys/kernel/tracing", "sys/kernel/debug/tracing"}) {
            if (Files.exists(root.resolve(p).resolve(KFREE_SKB))) {
                return root.resolve(p);
            }
        }
        return null;
    }

    /** Field {@code index} (0-based, after the label) of the status line starting with {@code label}. */
    private static long statusField(String status, String label, int index, int radix) {
        for (String line : status.split("\n")) {
            if (line.startsWith(label)) {
                String[] f = line.substring(label.length()).trim().split("\\s+");
                try {
                    return f.length > index ? Long.parseUnsignedLong(f[index], radix) : -1;
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    private static String text(Path file) {
        try {
            return ProcFs.text(file);
        } catch (IOException e) {
            return "";
        }
    }
}
