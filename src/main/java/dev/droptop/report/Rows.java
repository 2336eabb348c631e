package dev.droptop.report;

import dev.droptop.model.DropKey;
import dev.droptop.model.Snapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Report rows: snapshot rows merged over netns/device, which reports do not split by. */
final class Rows {
    private Rows() {
    }

    /** One location/reason/protocol with its total and stacks (stack id to count), by count descending. */
    record Row(DropKey key, long total, Map<Integer, Long> stacks) {
        List<Map.Entry<Integer, Long>> topStacks(int n) {
            List<Map.Entry<Integer, Long>> list = new ArrayList<>(stacks.entrySet());
            list.sort(Map.Entry.<Integer, Long>comparingByValue(Comparator.reverseOrder())
                    .thenComparing(Map.Entry.comparingByKey()));
            return list.subList(0, Math.min(n, list.size()));
        }
    }

    static List<Row> merged(Snapshot snapshot) {
        return rows(snapshot, true);
    }

    /** Rows split by netns and device too, for reports of data that has them ({@link ReportData#attributed()}). */
    static List<Row> of(ReportData data) {
        return rows(data.snapshot(), !data.attributed());
    }

    /** Drops per network namespace and device: (netns inode, device) to count, by count descending. */
    static List<Map.Entry<DropKey, Long>> byNamespace(Snapshot snapshot) {
        Map<DropKey, Long> m = new LinkedHashMap<>();
        for (Snapshot.Row r : snapshot.rows()) {
            m.merge(new DropKey("", DropKey.NO_OFFSET, "", DropKey.NO_PROTOCOL, r.key().netns(), r.key().device()),
                    r.total(), Long::sum);
        }
        List<Map.Entry<DropKey, Long>> list = new ArrayList<>(m.entrySet());
        list.sort(Map.Entry.<DropKey, Long>comparingByValue(Comparator.reverseOrder())
                .thenComparing(e -> e.getKey().netns()).thenComparing(e -> e.getKey().device()));
        return list;
    }

    private static List<Row> rows(Snapshot snapshot, boolean merge) {
        Map<DropKey, long[]> totals = new LinkedHashMap<>();
        Map<DropKey, Map<Integer, Long>> stacks = new LinkedHashMap<>();
        for (Snapshot.Row r : snapshot.rows()) {
            DropKey k = merge ? r.key().withoutNamespace() : r.key();
            totals.computeIfAbsent(k, x -> new long[1])[0] += r.total();
            Map<Integer, Long> s = stacks.computeIfAbsent(k, x -> new LinkedHashMap<>());
            for (Snapshot.StackCount sc : r.stacks()) {
                s.merge(sc.stackId(), sc.count(), Long::sum);
            }
        }
        List<Row> rows = new ArrayList<>();
        totals.forEach((k, t) -> rows.add(new Row(k, t[0], stacks.get(k))));
        rows.sort(Comparator.comparingLong(Row::total).reversed()
                .thenComparing(r -> r.key().symbol()).thenComparing(r -> r.key().reason())
                .thenComparing(r -> r.key().netns()).thenComparing(r -> r.key().device()));
        return rows;
    }
}
