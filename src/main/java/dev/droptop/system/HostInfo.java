package dev.droptop.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Facts about this machine for capture headers and doctor: kernel release, host name, sysctls, ttys. */
public final class HostInfo {
    /** Sysctls recorded in every capture header: what the diagnosis needs to explain drops offline. */
    public static final List<String> SYSCTLS = List.of(
            "net.netfilter.nf_conntrack_max", "net.netfilter.nf_conntrack_count", "net.netfilter.nf_conntrack_buckets",
            "net.netfilter.nf_conntrack_tcp_timeout_time_wait", "net.core.netdev_max_backlog", "net.core.somaxconn",
            "net.core.rmem_max", "net.core.rmem_default", "net.ipv4.conf.all.rp_filter", "net.ipv4.ip_forward");

    private HostInfo() {
    }

    public static String kernelRelease() {
        return read(Path.of("/proc/sys/kernel/osrelease"), System.getProperty("os.version"));
    }

    public static String hostName() {
        return read(Path.of("/proc/sys/kernel/hostname"), "unknown");
    }

    /** The value of {@code net.core.somaxconn}-style names, or null when absent. */
    public static String sysctl(String name) {
        String v = read(Path.of("/proc/sys", name.replace('.', '/')), null);
        return v == null ? null : v.replace('\t', ' ');
    }

    public static Map<String, String> sysctls() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : SYSCTLS) {
            String v = sysctl(name);
            if (v != null) {
                out.put(name, v);
            }
        }
        return out;
    }

    /** True when file descriptor {@code fd} of this process is a terminal (Linux /proc). */
    public static boolean isTerminal(int fd) {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    public static boolean isRoot() {
        return Privileges.isRoot();
    }

    private static String read(Path p, String fallback) {
        try {
            return ProcFs.text(p).trim();
        } catch (IOException e) {
            return fallback;
        }
    }
}
