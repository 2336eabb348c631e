package dev.droptop.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /proc/net/netstat}: pairs of lines per group, names then values, e.g.
 * <pre>
 * TcpExt: SyncookiesSent SyncookiesRecv ... ListenOverflows ListenDrops ...
 * TcpExt: 0 0 ... 32 32 ...
 * </pre>
 * Counters the tracepoint cannot show come from here: a SYN refused because the accept queue is full
 * is freed with consume_skb, so only {@code TcpExt ListenOverflows}/{@code ListenDrops} count it.
 */
public final class NetStat {
    static final String FILE = "netstat";

    private NetStat() {
    }

    /** {@code "Group.Name"} → value ({@code TcpExt.ListenOverflows}), in file order. */
    public static Map<String, Long> read(ProcFs fs) throws IOException {
        return parse(Files.readAllLines(fs.net(FILE), StandardCharsets.US_ASCII));
    }

    static Map<String, Long> parse(List<String> lines) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (int i = 0; i + 1 < lines.size(); i += 2) {
            String[] k = lines.get(i).trim().split("\\s+");
            String[] v = lines.get(i + 1).trim().split("\\s+");
            if (k.length < 2 || !k[0].endsWith(":") || !k[0].equals(v[0])) {
                continue;
            }
            String group = k[0].substring(0, k[0].length() - 1);
            for (int j = 1; j < Math.min(k.length, v.length); j++) {
                try {
                    out.put(group + "." + k[j], Long.parseLong(v[j]));
                } catch (NumberFormatException e) {
                    // a column that is not a counter: leave it out
                }
            }
        }
        return out;
    }
}
