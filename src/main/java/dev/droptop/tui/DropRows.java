package dev.droptop.tui;

import dev.droptop.model.DropKey;
import dev.droptop.model.Sanitize;
import dev.droptop.model.Snapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/** Turns a snapshot into table rows: grouped, filtered and sorted as the view state says. */
public final class DropRows {
    private DropRows() {
    }

    /**
     * One table row. Text fields are already sanitised.
     *
     * @param id stable key the selection follows across refreshes
     * @param recent drops per recent window, oldest first
     * @param match which snapshot keys the row covers (for its call graph)
     */
    public record TableRow(String id, String location, String reason, double rate, long total, double share,
                           long[] recent, Predicate<DropKey> match) {
    }

    public static List<TableRow> of(Snapshot s, ViewState v) {
        Map<String, Acc> groups = new LinkedHashMap<>();
        for (Snapshot.Row r : s.rows()) {
            String id = id(r.key(), v.group);
            groups.computeIfAbsent(id, k -> new Acc(r.key(), v.group, v.names)).add(r);
        }
        List<TableRow> rows = new ArrayList<>();
        String needle = v.filter.toLowerCase(Locale.ROOT);
        for (Map.Entry<String, Acc> e : groups.entrySet()) {
            TableRow row = e.getValue().row(e.getKey(), s);
            if (needle.isEmpty() || row.location().toLowerCase(Locale.ROOT).contains(needle)
                    || row.reason().toLowerCase(Locale.ROOT).contains(needle)) {
                rows.add(row);
            }
        }
        rows.sort(order(v.sort));
        return rows;
    }

    /** The index of the row with {@code id}, or 0 when it is gone. */
    public static int indexOf(List<TableRow> rows, String id) {
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).id().equals(id)) {
                return i;
            }
        }
        return 0;
    }

    private static Comparator<TableRow> order(ViewState.Sort sort) {
        Comparator<TableRow> byName = Comparator.comparing(TableRow::location).thenComparing(TableRow::reason);
        switch (sort) {
            case TOTAL: return Comparator.comparingLong(TableRow::total).reversed().thenComparing(byName);
            case NAME: return byName;
            default: return Comparator.comparingDouble(TableRow::rate).reversed()
                    .thenComparing(Comparator.comparingLong(TableRow::total).reversed()).thenComparing(byName);
        }
    }

    private static String id(DropKey k, ViewState.Group g) {
        switch (g) {
            case LOCATION: return "L " + k.location();
            case REASON: return "R " + k.reason();
            case NETNS: return "N " + k.netns() + " " + k.location() + " " + k.reason();
            default: return "B " + k.location() + " " + k.reason();
        }
    }

    /** Sums of one group. */
    private static final class Acc {
        private final DropKey first;
        private final ViewState.Group group;
        private final dev.droptop.model.NetnsNames names;
        private final List<String> others = new ArrayList<>();
        private long total;
        private long[] recent;

        Acc(DropKey first, ViewState.Group group, dev.droptop.model.NetnsNames names) {
            this.first = first;
            this.group = group;
            this.names = names;
        }

        void add(Snapshot.Row r) {
            total += r.total();
            if (recent == null) {
                recent = r.recent().clone();
            } else {
                for (int i = 0; i < recent.length && i < r.recent().length; i++) {
                    recent[i] += r.recent()[i];
                }
            }
            String other = group == ViewState.Group.LOCATION ? r.key().reasonOrDash() : r.key().location();
            if (!others.contains(other)) {
                others.add(other);
            }
        }

        TableRow row(String id, Snapshot s) {
            double rate = recent.length == 0 ? 0 : recent[recent.length - 1] / s.intervalSeconds();
            double share = s.total() == 0 ? 0 : (double) total / s.total();
            String loc = group == ViewState.Group.REASON ? summary("locations") : first.location();
            if (group == ViewState.Group.NETNS) {
                // the namespace first, so rows of one namespace read together when sorted by name
                loc = "[" + (first.netns() == 0 ? "-" : names.describe(first.netns()).label()) + "] " + loc;
            }
            String reason = group == ViewState.Group.LOCATION ? summary("reasons") : first.reasonOrDash();
            return new TableRow(id, Sanitize.text(loc), Sanitize.text(reason), rate, total, share, recent, match());
        }

        private String summary(String what) {
            return others.size() == 1 ? others.get(0) : "(" + others.size() + " " + what + ")";
        }

        private Predicate<DropKey> match() {
            String loc = first.location();
            String reason = first.reason();
            switch (group) {
                case LOCATION: return k -> k.location().equals(loc);
                case REASON: return k -> k.reason().equals(reason);
                case NETNS: {
                    long ns = first.netns();
                    return k -> k.location().equals(loc) && k.reason().equals(reason) && k.netns() == ns;
                }
                default: return k -> k.location().equals(loc) && k.reason().equals(reason);
            }
        }
    }
}
