package dev.droptop.run;

import dev.droptop.diagnose.Diagnoser;
import dev.droptop.diagnose.Finding;
import dev.droptop.model.Counters;
import dev.droptop.model.DropAggregator;
import dev.droptop.model.ReasonNames;
import dev.droptop.model.Snapshot;
import dev.droptop.model.SymbolOrigin;
import dev.droptop.model.Warnings;
import dev.droptop.report.ReportData;
import dev.droptop.source.StdinInput;
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
public final class Inputs {
    private Inputs() {
    }

    /** Adds {@code files} together into one aggregator and diagnoses the result. */
    public static ReportData load(List<Path> files, long intervalNanos, TraceInput.Tables tables) throws IOException {
        return load(files, intervalNanos, tables, dev.droptop.model.DropFilter.ALL);
    }

    /**
     * Like {@link #load(List, long, TraceInput.Tables)}, keeping only the drops {@code filter} passes. A
     * netns or container filter reads the inputs twice: first for the namespace names a capture carries
     * (so it takes files, not standard input).
     */
    public static ReportData load(List<Path> files, long intervalNanos, TraceInput.Tables tables,
                                  dev.droptop.model.DropFilter filter) throws IOException {
        long dashes = files.stream().filter(StdinInput::isDash).count();
        if (dashes > 1) {
            throw new UserError("- (standard input) can be given only once");
        }
        dev.droptop.model.NetnsNames filterNames = dev.droptop.model.NetnsNames.NONE;
        if (filter.netns() != null || filter.container() != null) {
            if (dashes > 0) {
                throw new UserError("--netns and --container read the input twice: give a file, not - (standard input)");
            }
            java.util.Map<Long, dev.droptop.model.NetnsInfo> pre = new java.util.HashMap<>();
            for (Path f : files) {
                pre.putAll(TraceInput.read(f, new DropAggregator(intervalNanos), tables).namespaces());
            }
            filterNames = dev.droptop.model.NetnsNames.of(pre);
        }
        DropAggregator agg = new DropAggregator(intervalNanos);
        dev.droptop.model.DropSink sink = filter.wrap(agg, filterNames);
        Warnings warnings = new Warnings();
        List<String> notes = new ArrayList<>();
        Set<String> backends = new LinkedHashSet<>();
        Counters system = new Counters();
        java.util.Map<Long, dev.droptop.model.NetnsInfo> namespaces = new java.util.HashMap<>();
        List<SymbolOrigin> symbols = new ArrayList<>();
        for (Path f : files) {
            TraceInput.Loaded loaded = TraceInput.read(f, sink, tables);
            if (loaded.symbols() != null) {
                symbols.add(loaded.symbols());
            }
            warnings.addAll(loaded.warnings());
            notes.addAll(loaded.notes());
            backends.add(loaded.backend());
            system.append(loaded.system());
            namespaces.putAll(loaded.namespaces());
        }
        agg.finish();
        if (!filter.isAll()) {
            notes.add("filtered: " + describe(filter));
        }
        if (agg.saturated()) {
            warnings.add("count saturated", "the inputs together count more than " + Long.MAX_VALUE
                    + " drops or lost events: totals stop there and are lower bounds");
        }
        String source = files.size() == 1 ? StdinInput.displayName(files.get(0)) : files.size() + " files";
        Snapshot snapshot = agg.snapshot();
        List<Finding> findings = Diagnoser.diagnose(snapshot, system.state());
        return new ReportData(source, String.join(", ", backends), snapshot, warnings, findings, notes, symbols,
                dev.droptop.model.NetnsNames.of(namespaces));
    }

    /** {@code filter} when its values can match (a --container id needs 4 characters), else a {@link UserError}. */
    public static dev.droptop.model.DropFilter checked(dev.droptop.model.DropFilter filter) {
        String container = filter.container();
        if (container != null && container.length() < 4) {
            throw new UserError("--container " + container + ": give at least 4 characters of the id, or a pod name");
        }
        return filter;
    }

    /** {@code --netns blue --reason NO_SOCKET}: the filter as options. */
    static String describe(dev.droptop.model.DropFilter f) {
        StringBuilder b = new StringBuilder();
        String[][] parts = {{"--netns", f.netns()}, {"--container", f.container()}, {"--dev", f.device()},
                {"--reason", f.reason()}, {"--location", f.location()}, {"--proto", f.proto()}};
        for (String[] p : parts) {
            if (p[1] != null) {
                b.append(b.length() == 0 ? "" : " ").append(p[0]).append(' ').append(p[1]);
            }
        }
        return b.toString();
    }

    /**
     * Symbol and reason tables: kernel symbols through a {@link SymbolSearch} (--kallsyms, the build-id
     * cache, --archive, the running kernel when it is the trace's), reasons from the given copy, else the
     * running kernel's (read only when needed). A bad --kallsyms or --archive is a one-line error now.
     */
    public static TraceInput.Tables tables(Path kallsyms, Path archive, Path tracepointFormat) throws IOException {
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
    public static List<String> symbolWarnings(List<SymbolOrigin> symbols) {
        List<String> out = new ArrayList<>();
        for (SymbolOrigin o : symbols) {
            if (o.warning() != null) {
                out.add(o.warning());
            }
        }
        return out;
    }
}
