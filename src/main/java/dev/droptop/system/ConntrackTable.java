package dev.droptop.system;

import dev.droptop.model.ConntrackState.ConntrackEntries;
import dev.droptop.model.ConntrackState.SourceCount;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Entries of {@code /proc/net/nf_conntrack} by TCP state and by source address, what
 * {@code conntrack -L | awk} gave in the case study. One line per entry:
 * <pre>
 * ipv4     2 tcp      6 119 TIME_WAIT src=198.18.0.3 dst=198.18.0.1 sport=47989 dport=8080 src=... [ASSURED] ...
 * ipv4     2 udp      17 29 src=198.18.0.1 dst=198.18.0.1 sport=45226 dport=5353 [UNREPLIED] src=... use=2
 * </pre>
 * TCP entries count under their state, others under the protocol name. Streams the file; memory is
 * bounded by {@link #MAX_SOURCES} distinct sources (the rest count as "other").
 */
public final class ConntrackTable {
    static final String FILE = "nf_conntrack";
    public static final int MAX_SOURCES = 20_000;
    public static final String OTHER = "(other sources)";

    private ConntrackTable() {
    }

    public static ConntrackEntries read(ProcFs fs, int topN) throws IOException {
        Map<String, Long> states = new TreeMap<>();
        Map<String, Long> sources = new HashMap<>();
        long total = 0;
        long other = 0;
        try (BufferedReader r = Files.newBufferedReader(fs.net(FILE), StandardCharsets.US_ASCII)) {
            for (String line; (line = r.readLine()) != null; ) {
                String[] t = line.trim().split("\\s+", 8);
                if (t.length < 6) {
                    continue;
                }
                total++;
                states.merge(state(t), 1L, Long::sum);
                String src = source(line);
                if (sources.containsKey(src) || sources.size() < MAX_SOURCES) {
                    sources.merge(src, 1L, Long::sum);
                } else {
                    other++;
                }
            }
        }
        return new ConntrackEntries(total, states, top(sources, other, topN), sources.size());
    }

    private static String state(String[] t) {
        // t: family, l3num, proto name, proto num, timeout, then the state for tcp (and sctp, dccp)
        String proto = t[2];
        return t[5].contains("=") ? proto : t[5];
    }

    private static String source(String line) {
        int at = line.indexOf(" src=");
        if (at < 0) {
            return "?";
        }
        int end = line.indexOf(' ', at + 5);
        return line.substring(at + 5, end < 0 ? line.length() : end);
    }

    private static List<SourceCount> top(Map<String, Long> sources, long other, int n) {
        List<SourceCount> list = new ArrayList<>();
        sources.forEach((s, c) -> list.add(new SourceCount(s, c)));
        list.sort((a, b) -> a.count() != b.count() ? Long.compare(b.count(), a.count())
                : a.source().compareTo(b.source()));
        List<SourceCount> out = new ArrayList<>(list.subList(0, Math.min(n, list.size())));
        if (other > 0) {
            out.add(new SourceCount(OTHER, other));
        }
        return List.copyOf(out);
    }
}
