package dev.droptop.testing;

import dev.droptop.model.DropAggregator;
import dev.droptop.model.DropKey;
import dev.droptop.model.Sanitize;
import dev.droptop.model.Snapshot;
import dev.droptop.model.Warnings;
import dev.droptop.report.ReportData;
import dev.droptop.report.TextReport;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/**
 * What must hold after any input went through a parser or the capture reader into a
 * {@link DropAggregator}: totals never negative, the snapshot adds up, and nothing that reaches a
 * text report can drive a terminal. Throws {@link AssertionError} (a fuzz finding) otherwise.
 */
public final class FuzzInvariants {
    private FuzzInvariants() {
    }

    public static void check(DropAggregator agg, long parserDrops) {
        check(agg);
        require(parserDrops >= 0, "parser drops < 0: " + parserDrops);
    }

    public static void check(DropAggregator agg) {
        agg.finish();
        Snapshot s = agg.snapshot();
        require(s.total() >= 0, "total < 0: " + s.total());
        require(s.lost() >= 0, "lost < 0: " + s.lost());
        require(s.windows() >= 0, "windows < 0");
        require(s.intervalNanos() > 0, "interval <= 0: " + s.intervalNanos());
        require(s.recentTotals().length == s.recentLost().length, "recent arrays differ in length");
        require(s.recentTotals().length <= DropAggregator.HISTORY, "more recent windows than HISTORY");
        for (long v : s.recentTotals()) {
            require(v >= 0, "recent window total < 0");
        }
        for (long v : s.recentLost()) {
            require(v >= 0, "recent window lost < 0");
        }
        long sum = 0;
        for (Snapshot.Row r : s.rows()) {
            require(r.total() > 0, "row total <= 0: " + r);
            sum = Math.addExact(sum, r.total());
            long stackSum = 0;
            for (Snapshot.StackCount sc : r.stacks()) {
                require(sc.count() > 0, "stack count <= 0");
                stackSum = Math.addExact(stackSum, sc.count());
                for (String frame : s.stacks().frameNames(sc.stackId())) {
                    clean(Sanitize.text(frame));
                }
            }
            require(stackSum == r.total(), "stacks of a row do not add up to its total");
            require(r.recent().length == s.recentTotals().length, "row history length differs");
            for (long v : r.recent()) {
                require(v >= 0 && v <= r.total(), "row window count out of range");
            }
            DropKey k = r.key();
            clean(Sanitize.text(k.symbol()));
            clean(Sanitize.text(k.reason()));
            clean(Sanitize.text(k.device()));
            clean(Sanitize.text(k.location()));
        }
        require(sum == s.total(), "rows add up to " + sum + ", total is " + s.total());
        clean(render(s, agg.lost() >= 0 ? "fuzz" : "?"));
    }

    /** The text report of a snapshot, as {@code droptop report} prints it. */
    public static String render(Snapshot s, String source) {
        StringWriter sw = new StringWriter();
        try (PrintWriter pw = new PrintWriter(sw)) {
            new TextReport(20).write(new ReportData(source, "fuzz", s, new Warnings(), List.of(), List.of()), pw);
        }
        return sw.toString();
    }

    /** No C0 control (except newline), DEL, C1 (0x80-0x9f, 0x9b is CSI) or bidi override in {@code text}. */
    public static void clean(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean bad = (c < 0x20 && c != '\n') || c == 0x7f || (c >= 0x80 && c < 0xa0)
                    || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069');
            require(!bad, "control character U+" + Integer.toHexString(c) + " at " + i + " in output");
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new AssertionError(message);
        }
    }
}
