package dev.droptop.cli;

import dev.droptop.diagnose.Diagnoser;
import dev.droptop.diagnose.Finding;
import dev.droptop.model.Counters;
import dev.droptop.model.DropAggregator;
import dev.droptop.model.ReasonNames;
import dev.droptop.model.Snapshot;
import dev.droptop.model.SymbolOrigin;
import dev.droptop.model.Warnings;
import dev.droptop.report.ReportData;
import dev.droptop.source.TraceInput;
import dev.droptop.system.SymbolSearch;
import dev.droptop.system.TracepointFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Reads trace and capture files into report data (drops, findings, notes): shared by report and diff. */
final class Inputs {
    private Inputs() {
    }

    /** Adds {@code files} together into one aggregator and diagnoses the result. */
    static ReportData load(List<Path> files, long intervalNanos, TraceInput.Tables tables) throws IOException {
        DropAggregator agg = new DropAggregator(intervalNanos);
        Warnings warnings = new Warnings();
        List<String> notes = new ArrayList<>();
        Set<String> backends = new LinkedHashSet<>();
        Counters system = new Counters();
        List<SymbolOrigin> symbols = new ArrayList<>();
        for (Path f : files) {
            TraceInput.Loaded loaded = TraceInput.read(f, agg, tables);
            if (loaded.symbols() != null) {
                symbols.add(loaded.symbols());
            }
            warnings.addAll(loaded.warnings());
            notes.addAll(loaded.notes());
            backends.add(loaded.backend());
            system.append(loaded.system());
        }
        agg.finish();
        if (agg.saturated()) {
            warnings.add("count saturated", "the inputs together count more than " + Long.MAX_VALUE
                    + " drops or lost events: totals stop there and are lower bounds");
        }
        String source = files.size() == 1 ? files.get(0).toString() : files.size() + " files";
        Snapshot snapshot = agg.snapshot();
        List<Finding> findings = Diagnoser.diagnose(snapshot, system.state());
        return new ReportData(source, String.join(", ", backends), snapshot, warnings, findings, notes, symbols);
    }

    /**
     * Symbol and reason tables: kernel symbols through a {@link SymbolSearch} (--kallsyms, the build-id
     * cache, --archive, the running kernel when it is the trace's), reasons from the given copy, else the
     * running kernel's (read only when needed). A bad --kallsyms or --archive is a one-line error now.
     */
    static TraceInput.Tables tables(Path kallsyms, Path archive, Path tracepointFormat) throws IOException {
        SymbolSearch.Sources sources;
        try {
            sources = SymbolSearch.Sources.of(kallsyms, archive);
        } catch (IOException e) {
            throw new UserError(e.getMessage());
        }
        ReasonNames reasons = tracepointFormat == null ? null : TracepointFormat.read(tracepointFormat).reasons();
        // any path that asks the tables for a plain resolver gets a search too: never the running kernel unchecked
        return new TraceInput.Tables(() -> sources.search("trace"),
                () -> reasons != null ? reasons : TracepointFormat.runningKernelReasons(), sources);
    }

    /** The symbol warnings of a report, one line each, for commands that print them on stderr. */
    static List<String> symbolWarnings(List<SymbolOrigin> symbols) {
        List<String> out = new ArrayList<>();
        for (SymbolOrigin o : symbols) {
            if (o.warning() != null) {
                out.add(o.warning());
            }
        }
        return out;
    }
}
