package dev.droptop.report;

import dev.droptop.model.Sanitize;
import dev.droptop.model.Snapshot;
import dev.droptop.model.StackTable;
import java.io.PrintWriter;
import java.util.Map;
import java.util.TreeMap;

/**
 * FlameGraph's folded format, loadable by flamegraph.pl, inferno and speedscope: one line per
 * distinct stack, root first, frames joined by {@code ;}, then a space and the count:
 * <pre>
 * entry_SYSCALL_64_after_hwframe;do_syscall_64;...;ip_rcv;nf_hook_slow 818
 * </pre>
 * A drop without a call chain folds to its location symbol alone. Lines are sorted, like
 * stackcollapse-perf.pl output.
 */
public final class CollapsedReport {
    public void write(ReportData data, PrintWriter out) {
        Snapshot s = data.snapshot();
        StackTable stacks = s.stacks();
        Map<String, Long> folded = new TreeMap<>();
        for (Snapshot.Row r : s.rows()) {
            for (Snapshot.StackCount sc : r.stacks()) {
                folded.merge(fold(stacks, sc.stackId(), r.key().symbol()), sc.count(), Long::sum);
            }
        }
        folded.forEach((line, count) -> {
            out.print(line);
            out.print(' ');
            out.println(count);
        });
        out.flush();
    }

    static String fold(StackTable stacks, int stackId, String location) {
        if (stackId == StackTable.NO_STACK) {
            return frame(location);
        }
        String[] frames = stacks.frameNames(stackId);
        StringBuilder sb = new StringBuilder(frames.length * 24);
        for (int i = frames.length - 1; i >= 0; i--) {
            sb.append(frame(frames[i]));
            if (i > 0) {
                sb.append(';');
            }
        }
        return sb.toString();
    }

    /** A frame may not hold the separator or a line break. */
    private static String frame(String f) {
        return Sanitize.text(f).replace(';', ':');
    }
}
