package dev.droptop.system;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The conntrack sysctls under {@code /proc/sys/net/netfilter}: {@code nf_conntrack_count}, {@code _max},
 * {@code _buckets} and the TCP timeouts ({@code nf_conntrack_tcp_timeout_time_wait = 120} →
 * {@code time_wait -> 120}). Each file holds one decimal number.
 *
 * @param tcpTimeouts seconds by TCP state name, sorted by name
 */
public record ConntrackSysctls(long count, long max, long buckets, Map<String, Long> tcpTimeouts) {
    static final String DIR = "net/netfilter";
    private static final String TIMEOUT_PREFIX = "nf_conntrack_tcp_timeout_";

    /**
     * Reads the sysctls of the calling thread's network namespace.
     *
     * @throws ConntrackUnavailable when {@code nf_conntrack_max} is absent (module not loaded)
     */
    public static ConntrackSysctls read(ProcFs fs) throws IOException {
        Path dir = fs.sys(DIR);
        long max;
        try {
            max = ProcFs.number(dir.resolve("nf_conntrack_max"));
        } catch (NoSuchFileException e) {
            throw new ConntrackUnavailable("conntrack is not loaded here (no " + dir.resolve("nf_conntrack_max")
                    + "): modprobe nf_conntrack, or no NAT/stateful rule uses it");
        }
        return new ConntrackSysctls(ProcFs.number(dir.resolve("nf_conntrack_count")), max,
                ProcFs.number(dir.resolve("nf_conntrack_buckets")), timeouts(dir));
    }

    private static Map<String, Long> timeouts(Path dir) throws IOException {
        Map<String, Long> out = new TreeMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, TIMEOUT_PREFIX + "*")) {
            for (Path p : ds) {
                try {
                    out.put(p.getFileName().toString().substring(TIMEOUT_PREFIX.length()), ProcFs.number(p));
                } catch (IOException e) {
                    // an unreadable timeout is left out; the others still help
                }
            }
        }
        return out;
    }
}
