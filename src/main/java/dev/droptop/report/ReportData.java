package dev.droptop.report;

import dev.droptop.diagnose.Finding;
import dev.droptop.model.NetnsNames;
import dev.droptop.model.Snapshot;
import dev.droptop.model.SymbolOrigin;
import dev.droptop.model.Warnings;
import java.util.List;

/**
 * Everything a report shows.
 *
 * @param source the input file name(s) or "live"
 * @param backend what produced the data ("perf script text", "tracefs", ...)
 * @param findings diagnosis results, most important first (empty when no rule fired)
 * @param notes extra one-line remarks for the reader (e.g. "torn last line ignored")
 * @param symbols per input, where its kernel symbols came from (empty when not searched)
 * @param names names of the drops' network namespaces (from a capture or the live system; never
 *              the running system's for a trace file, whose inodes may be another boot's)
 */
public record ReportData(String source, String backend, Snapshot snapshot, Warnings warnings,
                         List<Finding> findings, List<String> notes, List<SymbolOrigin> symbols, NetnsNames names) {

    public ReportData(String source, String backend, Snapshot snapshot, Warnings warnings, List<Finding> findings,
                      List<String> notes) {
        this(source, backend, snapshot, warnings, findings, notes, List.of(), NetnsNames.NONE);
    }

    /** Where the first input's kernel symbols came from (null without a symbol search, e.g. live). */
    public SymbolOrigin firstSymbols() {
        return symbols.isEmpty() ? null : symbols.get(0);
    }

    /** True when any drop carries a network namespace or device (only backends that see them set them). */
    public boolean attributed() {
        return snapshot.rows().stream().anyMatch(r -> r.key().netns() != 0 || !r.key().device().isEmpty());
    }

    /** What reports say instead of a netns/device when the backend cannot see them. */
    public String unattributedNote() {
        return "unknown: backend " + backend + " cannot see it";
    }

    public double share(long count) {
        return snapshot.total() == 0 ? 0 : (double) count / snapshot.total();
    }
}
