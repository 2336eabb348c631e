package dev.droptop.run;

import dev.droptop.system.ConntrackStats;
import dev.droptop.system.ConntrackSysctls;
import dev.droptop.system.Netns;
import dev.droptop.system.ProcFs;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Conntrack per network namespace: entries ({@code nf_conntrack_count}) and the summed per-CPU
 * {@code drop} column of {@code /proc/net/stat/nf_conntrack}, for droptop's own namespace ({@code host})
 * and each {@code ip netns} namespace (read on a thread that entered it, at most {@link #MAX_NETNS}),
 * plus the global {@code nf_conntrack_max}. Never throws: what cannot be read is left out.
 */
record ConntrackSample(long max, Map<String, Long> entries, Map<String, Long> drops) {
    static final int MAX_NETNS = 64;
    static final ConntrackSample EMPTY = new ConntrackSample(-1, Map.of(), Map.of());

    static ConntrackSample read() {
        ProcFs fs = ProcFs.live();
        Map<String, Long> entries = new LinkedHashMap<>();
        Map<String, Long> drops = new LinkedHashMap<>();
        long max = -1;
        long[] host = one(fs);
        if (host != null) {
            max = host[1];
            entries.put("host", host[0]);
            if (host[2] >= 0) {
                drops.put("host", host[2]);
            }
        }
        for (String name : names()) {
            try {
                long[] v = Netns.call(name, () -> one(fs));
                if (v != null) {
                    entries.put(name, v[0]);
                    if (v[2] >= 0) {
                        drops.put(name, v[2]);
                    }
                }
            } catch (IOException e) {
                // gone meanwhile, or not enterable: left out
            }
        }
        return new ConntrackSample(max, Map.copyOf(entries), Map.copyOf(drops));
    }

    /** {count, max, drop} of the calling thread's namespace, or null without conntrack. */
    private static long[] one(ProcFs fs) {
        try {
            ConntrackSysctls s = ConntrackSysctls.read(fs);
            long drop = -1;
            try {
                drop = ConntrackStats.read(fs).getOrDefault("drop", -1L);
            } catch (IOException | RuntimeException e) {
                // no stat file: entries only
            }
            return new long[] {s.count(), s.max(), drop};
        } catch (IOException | RuntimeException e) {
            return null; // conntrack not loaded in this namespace
        }
    }

    private static List<String> names() {
        List<String> out = new ArrayList<>();
        try (DirectoryStream<java.nio.file.Path> ds = Files.newDirectoryStream(Netns.RUN_NETNS)) {
            for (java.nio.file.Path p : ds) {
                if (out.size() >= MAX_NETNS) {
                    break;
                }
                out.add(p.getFileName().toString());
            }
        } catch (IOException | RuntimeException e) {
            // no /run/netns
        }
        out.sort(null);
        return out;
    }
}
