package dev.droptop.run;

import dev.droptop.diagnose.Diagnoser;
import dev.droptop.diagnose.Finding;
import dev.droptop.model.Counters;
import dev.droptop.model.DropAggregator;
import dev.droptop.model.ReasonNames;
import dev.droptop.model.Snapshot;
import dev.droptop.model.SymbolResolver;
import dev.droptop.model.Warnings;
import dev.droptop.report.ReportData;
import dev.droptop.source.StdinInput;
import dev.droptop.source.TraceInput;
import dev.droptop.system.Kallsyms;
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
        for (Path f : files) {
            TraceInput.Loaded loaded = TraceInput.read(f, sink, tables);
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
        return new ReportData(source, String.join(", ", backends), snapshot, warnings, findings, notes,
                dev.droptop.model.NetnsNames.of(namespaces));
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

    /** Symbol and reason tables: the given copies, else the running kernel's (read only when needed). */
    public static TraceInput.Tables tables(Path kallsyms, Path tracepointFormat) throws IOException {
        SymbolResolver resolver = kallsyms == null ? null : Kallsyms.load(kallsyms);
        if (kallsyms != null && ((Kallsyms) resolver).size() == 0) {
            throw new UserError(kallsyms + ": no kernel text symbols in it");
        }
        ReasonNames reasons = tracepointFormat == null ? null : TracepointFormat.read(tracepointFormat).reasons();
        return new TraceInput.Tables(
                () -> resolver != null ? resolver : Kallsyms.lazy(),
                () -> reasons != null ? reasons : TracepointFormat.runningKernelReasons());
    }
}
