package dev.droptop.run;

import dev.droptop.diagnose.Diagnoser;
import dev.droptop.diagnose.Finding;
import dev.droptop.lab.Cleanup;
import dev.droptop.lab.ConntrackMax;
import dev.droptop.lab.LabRun;
import dev.droptop.lab.LabTable;
import dev.droptop.lab.LabSearch;
import dev.droptop.lab.RateSearch;
import dev.droptop.lab.Scale;
import dev.droptop.lab.SearchReport;
import dev.droptop.lab.Scenario;
import dev.droptop.lab.ScenarioResult;
import dev.droptop.lab.Stop;
import dev.droptop.source.Availability;
import dev.droptop.source.Backend;
import dev.droptop.source.Backends;
import dev.droptop.system.HostInfo;
import dev.droptop.system.Privileges;
import dev.droptop.system.ProcFs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code lab nat}, {@code lab run}, {@code lab search} or {@code lab cleanup}: checks the options
 * ({@link LabArgs}, {@link LabSearchArgs}), picks the capture backend (bpftrace with --flows), sets
 * nf_conntrack_max when asked (restored in finally, by a shutdown hook, and by 'lab cleanup'), runs
 * each scenario in its own namespaces, and prints the table. Ctrl-C/SIGTERM stop the current load
 * early; the table shows what was done.
 */
public final class LabSession {
    private LabSession() {
    }

    public static void requireRoot() {
        if (!Privileges.isRoot()) {
            throw new Failure("the lab needs root (network namespaces, nftables, nf_conntrack_max)");
        }
    }

    /** Sessions open at once in lab nat/run unless --in-flight says otherwise. */
    static final int DEFAULT_IN_FLIGHT = 200;

    /**
     * What one lab invocation needs, already checked: the run's limits, whether to capture drops,
     * the global nf_conntrack_max for the run (null: leave it), the screen, JSON or text, and
     * whether to count the dropped packets per flow (bpftrace) with at most {@code flowCap} flows.
     */
    public record Settings(long durationNanos, int inFlight, long timeoutNanos, boolean capture, Long conntrackMax,
                           boolean tui, boolean json, int outside, boolean flows, int flowCap) {
        /** What the capture reads from the dropped packets: flows, or nothing. */
        Backend.Packets packets() {
            Backend.Packets none = Backend.Packets.NONE;
            return flows ? new Backend.Packets(true, null, none.snaplen(), none.rate(), null, 0, flowCap) : none;
        }
    }

    /**
     * {@code lab nat}: the nat44ed scenario of {@code profile} with H x P sessions, beside its ip4base
     * twin when {@code compare} is "ip4base" (null: alone); returns the exit code.
     */
    public static int nat(String profile, int hosts, int portsPerHost, String compare, LabArgs args)
            throws IOException {
        if (compare != null && !compare.equals("ip4base")) {
            throw new UserError("--compare takes ip4base, not " + compare);
        }
        Scenario s;
        try {
            s = new Scenario(Scenario.Profile.parse(profile), true, hosts, portsPerHost);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        return run(compare == null ? List.of(s) : List.of(s, s.base()), args.settings(DEFAULT_IN_FLIGHT));
    }

    /** {@code lab run NAME...}: scenarios by CSIT-style name, one after another; returns the exit code. */
    public static int named(List<String> names, LabArgs args) throws IOException {
        List<Scenario> list;
        try {
            list = names.stream().map(Scenario::parse).toList();
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        return run(list, args.settings(DEFAULT_IN_FLIGHT));
    }

    /** {@code lab cleanup}: removes what a killed lab left and says what, or that there was nothing. */
    public static int cleanup() throws IOException {
        requireRoot();
        List<String> done = Cleanup.run();
        if (done.isEmpty()) {
            System.out.println("nothing to clean up");
        }
        done.forEach(System.out::println);
        return 0;
    }

    /** Runs {@code scenarios} one after another and prints their table; returns the exit code. */
    static int run(List<Scenario> scenarios, Settings o) throws IOException {
        if (o.tui() && !HostInfo.isTerminal(1)) {
            throw new UserError("--tui needs a terminal on standard output");
        }
        if (o.flows() && !o.capture()) {
            throw new UserError("--flows counts the captured drops: leave out --no-capture");
        }
        requireRoot();
        Backend backend = o.flows() ? flowsBackend() : o.capture() ? backend() : null;
        LabRun.Options options = new LabRun.Options(backend, o.durationNanos(), o.inFlight(), o.timeoutNanos(),
                o.outside(), backend == null ? Backend.Packets.NONE : o.packets());
        Stop stop = new Stop();
        installSignals(stop);
        List<LabTable.Entry> entries = new ArrayList<>();
        try (ConntrackMax max = limits(scenarios, o.conntrackMax())) {
            // the flows probe records no stacks: the screen's call graph is empty then, its flows pane is not
            LabRun run = new LabRun(options, stop, o.tui() && !o.flows());
            if (o.tui()) {
                LabTui.run(run, options, stop, () -> scenarios(run, scenarios, stop, entries, false));
            } else {
                scenarios(run, scenarios, stop, entries, true);
            }
        }
        LabTable table = new LabTable(entries, new ReportFlows());
        if (o.json()) {
            System.out.println(table.json());
        } else {
            System.out.print(table.text());
        }
        return 0;
    }

    /**
     * Sets nf_conntrack_max (and grows nf_conntrack_buckets) for the run: to {@code asked} when given,
     * else to what the largest scenario needs ({@link Scale}) when that is more than now; null when
     * nothing changes. Restored when the returned value closes.
     */
    static ConntrackMax limits(List<Scenario> scenarios, Long asked) throws IOException {
        Scale largest = new Scale(scenarios.stream().mapToLong(Scenario::sessions).max().orElse(1));
        long buckets = Files.exists(ConntrackMax.BUCKETS) ? ProcFs.number(ConntrackMax.BUCKETS) : 0;
        long growBuckets = largest.buckets() > buckets ? largest.buckets() : 0;
        long now = ConntrackMax.read();
        Long target = asked;
        if (target == null && (largest.conntrackMax() > now || growBuckets > 0)) {
            target = Math.max(now, largest.conntrackMax());
        }
        if (target == null) {
            return null;
        }
        ConntrackMax max = ConntrackMax.set(target, growBuckets);
        System.err.println("droptop: nf_conntrack_max " + max.saved() + " -> " + target
                + (max.savedBuckets() > 0 ? ", nf_conntrack_buckets " + max.savedBuckets() + " -> " + growBuckets : "")
                + " for the run");
        return max;
    }

    /**
     * What {@code lab search} needs besides the lab settings: the search's bounds and precision, the
     * trial duration, whether to search the ip4base twin too, and where to write the plot (null: none).
     */
    public record SearchSettings(Settings lab, double minRate, double maxRate, double precision, int maxTrials,
                                 long trialNanos, boolean twin, Path plot) {
    }

    /** {@code lab search}: checks the options, then {@link #search(Scenario, SearchSettings)}. */
    public static int search(LabSearchArgs args) throws IOException {
        LabSearchArgs.Checked c = args.check();
        return search(c.scenario(), c.settings());
    }

    /** Searches NDR and PDR for {@code s} (and its twin) and prints the results table; returns the exit code. */
    static int search(Scenario s, SearchSettings ss) throws IOException {
        Settings o = ss.lab();
        if (o.tui() && !HostInfo.isTerminal(1)) {
            throw new UserError("--tui needs a terminal on standard output");
        }
        requireRoot();
        RateSearch.Config config;
        try {
            config = new RateSearch.Config(ss.minRate(), ss.maxRate(), ss.precision(), ss.maxTrials());
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        LabRun.Options options = new LabRun.Options(o.capture() ? backend() : null, o.durationNanos(), o.inFlight(),
                o.timeoutNanos(), o.outside());
        Stop stop = new Stop();
        installSignals(stop);
        List<SearchReport.Row> rows = new ArrayList<>();
        try (ConntrackMax max = limits(List.of(s), o.conntrackMax()); LabSearch lab = new LabSearch(options, stop, o.tui())) {
            LabTui.Work work = () -> {
                System.err.println("droptop: searching " + s.name());
                LabSearch.Outcome test = lab.search(s, config, ss.trialNanos());
                LabSearch.Outcome twin = null;
                if (ss.twin() && !stop.requested()) {
                    System.err.println("droptop: searching " + s.base().name());
                    twin = lab.search(s.base(), config, ss.trialNanos());
                }
                synchronized (rows) {
                    rows.add(new SearchReport.Row(test, twin));
                }
            };
            if (o.tui()) {
                LabTui.search(lab, options, stop, work);
            } else {
                work.run();
            }
        }
        SearchReport report;
        synchronized (rows) {
            report = new SearchReport(rows);
        }
        if (ss.plot() != null) {
            Files.writeString(ss.plot(), report.svg());
            System.err.println("droptop: plot written to " + ss.plot());
        }
        if (o.json()) {
            System.out.println(report.json());
        } else {
            System.out.print(report.text());
        }
        return 0;
    }

    static void scenarios(LabRun run, List<Scenario> scenarios, Stop stop, List<LabTable.Entry> entries,
                          boolean say) throws IOException {
        int n = 0;
        for (Scenario s : scenarios) {
            if (stop.requested()) {
                break;
            }
            if (say) {
                System.err.println("droptop: running " + s.name() + " (" + s.sessions() + " sessions)");
            }
            ScenarioResult r = run.run(s, Integer.toString(n++));
            List<Finding> f = Diagnoser.diagnose(r.drops(), r.system());
            synchronized (entries) {
                entries.add(new LabTable.Entry(r, f));
            }
        }
    }

    private static Backend backend() {
        Backends.Choice c = Backends.auto();
        if (c.backend() == null) {
            System.err.println("droptop: no backend works here (" + c.why() + "): drops are not captured");
            return null;
        }
        System.err.println("droptop: backend " + c.backend().name() + " (" + c.why() + ")");
        return c.backend();
    }

    /** --flows: bpftrace (the one backend that reads packets), or one line saying why it cannot run. */
    private static Backend flowsBackend() {
        Backend b = Backends.named("bpftrace");
        Availability a = b.check();
        if (!a.works()) {
            throw new UserError("--flows needs the bpftrace backend, which does not work here: " + a.reason()
                    + (a.fix().isEmpty() ? "" : " (fix: " + a.fix() + ")"));
        }
        System.err.println("droptop: backend " + b.name() + " (--flows: it reads the dropped packets' headers)");
        return b;
    }

    private static void installSignals(Stop stop) {
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> {
                    System.err.println("droptop: stopping the lab (SIG" + name + "); cleaning up");
                    stop.request();
                });
            } catch (IllegalArgumentException e) {
                // not available: the shutdown hook still restores nf_conntrack_max
            }
        }
    }
}
