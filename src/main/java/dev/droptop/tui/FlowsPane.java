package dev.droptop.tui;

import dev.droptop.model.Flow;
import dev.droptop.model.FlowCount;
import dev.droptop.model.Sanitize;
import dev.droptop.model.Snapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The flows of the selected drop row (Tab from the call graph, when the source reads packet headers):
 * source, destination, protocol, drops and share of the row's flows, largest first, merged over netns
 * and device; what does not fit is one "(N more flows)" line, the cap's folded drops "(other flows)".
 */
public final class FlowsPane {
    private FlowsPane() {
    }

    public static List<Line> render(Snapshot s, DropRows.TableRow row, int width, int height, Glyphs g) {
        List<Line> out = new ArrayList<>();
        String title = row == null ? "FLOWS" : "FLOWS " + row.location() + "  " + row.reason() + "  (Tab: findings)";
        out.add(Line.of(g.fit(title, width, false), Line.Tone.TITLE));
        if (row == null) {
            return out;
        }
        Map<Flow, long[]> merged = new LinkedHashMap<>();
        long total = 0;
        for (FlowCount f : s.flows()) {
            if (row.match().test(f.key())) {
                merged.computeIfAbsent(f.flow(), k -> new long[1])[0] += f.count();
                total += f.count();
            }
        }
        if (merged.isEmpty()) {
            out.add(Line.of(" (no flows for this row: capture with --flows, bpftrace backend)", Line.Tone.DIM));
            return out;
        }
        List<Map.Entry<Flow, long[]>> list = new ArrayList<>(merged.entrySet());
        list.sort(Comparator.comparingLong((Map.Entry<Flow, long[]> e) -> e.getValue()[0]).reversed()
                .thenComparing(e -> e.getKey().toString()));
        int nums = 18;
        out.add(Line.of(g.fit(" SOURCE > DESTINATION  PROTO", width - nums, false)
                + String.format(Locale.ROOT, " %10s %6s", "DROPS", "SHARE"), Line.Tone.HEADER));
        int room = Math.max(1, height - out.size());
        for (int i = 0; i < list.size(); i++) {
            if (out.size() == height - 1 && i < list.size() - 1 && room < list.size()) {
                long rest = 0;
                for (int k = i; k < list.size(); k++) {
                    rest += list.get(k).getValue()[0];
                }
                out.add(line(" (" + (list.size() - i) + " more flows)", rest, total, width, nums, g));
                break;
            }
            if (out.size() >= height) {
                break;
            }
            Flow f = list.get(i).getKey();
            String label = f.isOther() ? " (other flows, over the cap)" : " " + Sanitize.text(f.toString());
            out.add(line(label, list.get(i).getValue()[0], total, width, nums, g));
        }
        return out;
    }

    private static Line line(String label, long count, long total, int width, int nums, Glyphs g) {
        return Line.of(g.fit(label, width - nums, false)
                + String.format(Locale.ROOT, " %10d %5.1f%%", count, 100.0 * count / Math.max(1, total)));
    }
}
