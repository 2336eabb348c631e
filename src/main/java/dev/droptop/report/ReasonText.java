package dev.droptop.report;

import dev.droptop.diagnose.ReasonCatalogue;
import dev.droptop.model.ReasonNames;
import dev.droptop.model.Sanitize;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The text of {@code droptop explain REASON}: a catalogue entry with the reason's number on a kernel. */
public final class ReasonText {
    private ReasonText() {
    }

    /**
     * The lines explaining {@code query} (a name with or without {@code SKB_DROP_REASON_}, any case, or a
     * number of {@code kernel}'s table), or empty when neither the catalogue nor the subsystem bits know it.
     *
     * @param names the reason table of {@code kernel} (empty when tracefs is not readable)
     */
    public static Optional<List<String>> explain(String query, ReasonNames names, String kernel) {
        ReasonCatalogue cat = ReasonCatalogue.builtIn();
        String q = query.trim();
        long number = parseNumber(q);
        String name = number >= 0 && number <= Integer.MAX_VALUE ? names.name((int) number) : null;
        Optional<ReasonCatalogue.Entry> e = cat.entry(name != null ? name : q);
        if (e.isEmpty()) {
            if (number >= 0 && number >>> 16 != 0) {
                return Optional.of(List.of(Sanitize.text(cat.oneLine(q, kernel))));
            }
            return Optional.empty();
        }
        ReasonCatalogue.Entry entry = e.get();
        List<String> out = new ArrayList<>();
        out.add(entry.name() + "  (" + ReasonCatalogue.PREFIX + entry.name() + numberOn(entry.name(), names, kernel)
                + ")");
        out.add("  means:  " + entry.means());
        out.add("  causes: " + entry.causes());
        out.add("  check:  " + entry.check());
        if (entry.isBenign()) {
            out.add("  probably benign: " + entry.benign());
        }
        return Optional.of(out);
    }

    /** {@code droptop: no drop reason FOO in the catalogue (kernel X); did you mean NO_SOCKET?}. */
    public static String notFound(String query, String kernel) {
        List<String> near = ReasonCatalogue.builtIn().nearMisses(query);
        return "no drop reason " + Sanitize.text(query) + " in the catalogue (" + kernelText(kernel) + ")"
                + (near.isEmpty() ? "" : "; did you mean " + String.join(", ", near) + "?");
    }

    private static String numberOn(String name, ReasonNames names, String kernel) {
        for (Map.Entry<Integer, String> e : names.table().entrySet()) {
            if (e.getValue().equals(name)) {
                return ", " + e.getKey() + " on " + kernelText(kernel);
            }
        }
        return names.isEmpty() ? "" : ", not in the tracepoint format of " + kernelText(kernel);
    }

    private static String kernelText(String kernel) {
        return kernel == null || kernel.isEmpty() ? "this kernel" : "kernel " + kernel;
    }

    private static long parseNumber(String q) {
        String s = q.toLowerCase(java.util.Locale.ROOT);
        try {
            return s.startsWith("0x") ? Long.parseLong(s.substring(2), 16) : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
