package dev.droptop.system;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
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
            max = number(dir.resolve("nf_conntrack_max"));
        } catch (NoSuchFileException e) {
            throw new ConntrackUnavailable("conntrack is not loaded here (no " + dir.resolve("nf_conntrack_max")
                    + "): modprobe nf_conntrack, or no NAT/stateful rule uses it");
        }
        return new ConntrackSysctls(number(dir.resolve("nf_conntrack_count")), max,
                number(dir.resolve("nf_conntrack_buckets")), timeouts(dir));
    }

    private static Map<String, Long> timeouts(Path dir) throws IOException {
        Map<String, Long> out = new TreeMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, TIMEOUT_PREFIX + "*")) {
            for (Path p : ds) {
                try {
                    out.put(p.getFileName().toString().substring(TIMEOUT_PREFIX.length()), number(p));
                } catch (IOException e) {
                    // an unreadable timeout is left out; the others still help
                }
            }
        }
        return out;
    }

    /**
     * One read at offset 0: sysctl integer files answer EOF to any read at a non-zero offset, so
     * {@code Files.readAllBytes} (which reads 1 byte first when the size is 0) would see only "2" of "262144".
     */
    static long number(Path file) throws IOException {
        byte[] buf = new byte[64];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = Math.max(0, in.read(buf));
        }
        String s = new String(buf, 0, n, StandardCharsets.US_ASCII).trim();
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IOException(file + ": not a number: " + (s.length() > 40 ? s.substring(0, 40) : s));
        }
    }
}
