package dev.droptop.diagnose;

import dev.droptop.model.Decimals;
import dev.droptop.model.DropKey;
import dev.droptop.model.Snapshot;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/** Questions rules ask of the drops: how many match, where, and from which callers. */
final class DropFacts {
    private final Snapshot snapshot;

    DropFacts(Snapshot snapshot) {
        this.snapshot = snapshot;
    }

    /**
     * From the flows (sources that read packet headers): the destinations of the drops matching
     * {@code match}, with their distinct sources, e.g. {@code 2567 of them in 1600 flows from 64 sources
     * to 198.18.0.1:8080 tcp}; "" without flows. Many sources to one address is the signature of new
     * connections refused at a full table, not of one misbehaving peer.
     */
    String flowEvidence(Predicate<DropKey> match) {
        java.util.Map<String, java.util.Set<String>> sources = new java.util.LinkedHashMap<>();
        java.util.Map<String, long[]> counts = new java.util.HashMap<>();
        for (dev.droptop.model.FlowCount f : snapshot.flows()) {
            dev.droptop.model.Flow fl = f.flow();
            if (fl.isOther() || !match.test(f.key())) {
                continue;
            }
            String dst = (fl.dst().indexOf(':') >= 0 ? "[" + fl.dst() + "]" : fl.dst())
                    + (fl.dport() >= 0 && fl.proto() != 1 && fl.proto() != 58 ? ":" + fl.dport() : "") + " " + fl.protoName();
            sources.computeIfAbsent(dst, k -> new java.util.HashSet<>()).add(fl.src());
            long[] c = counts.computeIfAbsent(dst, k -> new long[2]);
            c[0] += f.count();
            c[1]++;
        }
        String best = null;
        for (String d : counts.keySet()) {
            if (best == null || counts.get(d)[0] > counts.get(best)[0]) {
                best = d;
            }
        }
        if (best == null) {
            return "";
        }
        long[] c = counts.get(best);
        int n = sources.get(best).size();
        return c[0] + " of them in " + c[1] + " flows from " + n + " source" + (n == 1 ? "" : "s") + " to "
                + dev.droptop.model.Sanitize.text(best) + (counts.size() > 1 ? " (and " + (counts.size() - 1) + " other destinations)" : "");
    }

    long count(Predicate<DropKey> match) {
        return snapshot.rows().stream().filter(r -> match.test(r.key())).mapToLong(Snapshot.Row::total).sum();
    }

    /**
     * Drops matching {@code match} whose caller (the first frame above the location that is not an
     * {@code nf_hook}/{@code NF_HOOK} wrapper) is one of {@code callers}.
     */
    long countFrom(Predicate<DropKey> match, Set<String> callers) {
        long n = 0;
        for (Snapshot.Row r : snapshot.rows()) {
            if (!match.test(r.key())) {
                continue;
            }
            for (Snapshot.StackCount sc : r.stacks()) {
                if (hasCaller(snapshot.stacks().frameNames(sc.stackId()), callers)) {
                    n += sc.count();
                }
            }
        }
        return n;
    }

    private static boolean hasCaller(String[] frames, Set<String> callers) {
        for (int i = 1; i < frames.length; i++) {
            if (!frames[i].startsWith("nf_hook") && !frames[i].startsWith("NF_HOOK")) {
                return callers.contains(frames[i]);
            }
        }
        return false;
    }

    /** Locations of the matching drops, most first: {@code "nf_hook_slow+0x7d/NETFILTER_DROP ×1600"}. */
    String where(Predicate<DropKey> match, int n) {
        Map<String, Long> by = new LinkedHashMap<>();
        snapshot.rows().stream().filter(r -> match.test(r.key()))
                .forEach(r -> by.merge(r.key().location() + " " + r.key().reasonOrDash(), r.total(), Long::sum));
        StringBuilder sb = new StringBuilder();
        by.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(n).forEach(e -> {
            sb.append(sb.length() == 0 ? "" : ", ").append(e.getKey()).append(" (").append(e.getValue()).append(')');
        });
        return sb.toString();
    }

    /** Device names the backend recorded for the matching drops, sorted (empty without them). */
    java.util.SortedSet<String> devices(Predicate<DropKey> match) {
        java.util.SortedSet<String> out = new java.util.TreeSet<>();
        snapshot.rows().stream().filter(r -> match.test(r.key()) && !r.key().device().isEmpty())
                .forEach(r -> out.add(r.key().device()));
        return out;
    }

    /** The namespace inode with the most matching drops, or 0 when the backend recorded none. */
    long busiestNetns(Predicate<DropKey> match) {
        Map<Long, Long> by = new LinkedHashMap<>();
        snapshot.rows().stream().filter(r -> match.test(r.key()) && r.key().netns() != 0)
                .forEach(r -> by.merge(r.key().netns(), r.total(), Long::sum));
        return by.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(0L);
    }

    /** The distinct reasons of the matching drops, sorted. */
    java.util.SortedSet<String> reasons(Predicate<DropKey> match) {
        java.util.SortedSet<String> out = new java.util.TreeSet<>();
        snapshot.rows().stream().filter(r -> match.test(r.key())).forEach(r -> out.add(r.key().reason()));
        return out;
    }

    /** Share of all drops, as text. */
    String share(long count) {
        return Decimals.percent(snapshot.total() == 0 ? 0 : (double) count / snapshot.total());
    }

    static Predicate<DropKey> reason(String... reasons) {
        Set<String> set = Set.of(reasons);
        return k -> set.contains(k.reason());
    }

    static Predicate<DropKey> reasonStarts(String... prefixes) {
        return k -> {
            for (String p : prefixes) {
                if (k.reason().startsWith(p)) {
                    return true;
                }
            }
            return false;
        };
    }

    static Predicate<DropKey> symbol(String... symbols) {
        Set<String> set = Set.of(symbols);
        return k -> set.contains(k.symbol());
    }

    /** A reason, or (traces without reasons) one of the symbols that only drop for it. */
    static Predicate<DropKey> reasonOr(String reason, String... symbolsWhenNoReason) {
        Predicate<DropKey> bySymbol = symbol(symbolsWhenNoReason);
        return k -> k.reason().equals(reason) || k.reason().isEmpty() && bySymbol.test(k);
    }
}
