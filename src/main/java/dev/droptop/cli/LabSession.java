package dev.droptop.cli;

import dev.droptop.diagnose.Diagnoser;
import dev.droptop.diagnose.Finding;
import dev.droptop.lab.ConntrackMax;
import dev.droptop.lab.LabRun;
import dev.droptop.lab.Scenario;
import dev.droptop.lab.ScenarioResult;
import dev.droptop.lab.Stop;
import dev.droptop.source.Backend;
import dev.droptop.source.Backends;
import dev.droptop.system.HostInfo;
import dev.droptop.system.Privileges;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code lab nat} / {@code lab run}: checks the options, picks the capture backend, sets
 * nf_conntrack_max when asked (restored in finally, by a shutdown hook, and by 'lab cleanup'), runs
 * each scenario in its own namespaces, and prints the table. Ctrl-C/SIGTERM stop the current load
 * early; the table shows what was done.
 */
final class LabSession {
    private static final long MAX_DURATION = 120_000_000_000L;

    private LabSession() {
    }

    static void requireRoot() {
        if (!Privileges.isRoot()) {
            throw new Main.Failure("the lab needs root (network namespaces, nftables, nf_conntrack_max)");
        }
    }

    static int run(List<Scenario> scenarios, LabCommand.LabOptions o) throws IOException {
        LabRun.Options options = options(o);
        requireRoot();
        Stop stop = new Stop();
        installSignals(stop);
        List<LabTable.Entry> entries = new ArrayList<>();
        try (ConntrackMax max = o.conntrackMax == null ? null : ConntrackMax.set(o.conntrackMax)) {
            if (max != null) {
                System.err.println("droptop: nf_conntrack_max " + max.saved() + " -> " + o.conntrackMax + " for the run");
            }
            LabRun run = new LabRun(options, stop);
            if (o.tui) {
                LabTui.run(run, options, stop, () -> scenarios(run, scenarios, stop, entries, false));
            } else {
                scenarios(run, scenarios, stop, entries, true);
            }
        }
        LabTable table = new LabTable(entries);
        if (o.format.equals("json")) {
            System.out.println(table.json());
        } else {
            System.out.print(table.text());
        }
        return Main.OK;
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

    static LabRun.Options options(LabCommand.LabOptions o) {
        if (!o.format.equals("text") && !o.format.equals("json")) {
            throw new UserError("--format must be text or json, not " + o.format);
        }
        if (o.tui && !HostInfo.isTerminal(1)) {
            throw new UserError("--tui needs a terminal on standard output");
        }
        long duration = Durations.parse(o.duration, "--duration");
        if (duration <= 0 || duration > MAX_DURATION) {
            throw new UserError("--duration must be more than 0 and at most 120s");
        }
        long timeout = Durations.parse(o.timeout, "--timeout");
        if (timeout < 10_000_000L || timeout > 30_000_000_000L) {
            throw new UserError("--timeout must be between 10ms and 30s");
        }
        if (o.inFlight < 1 || o.inFlight > 20_000) {
            throw new UserError("--in-flight must be 1..20000");
        }
        if (o.conntrackMax != null && (o.conntrackMax < 1 || o.conntrackMax > Integer.MAX_VALUE)) {
            throw new UserError("--conntrack-max must be 1.." + Integer.MAX_VALUE);
        }
        return new LabRun.Options(o.noCapture ? null : backend(), duration, o.inFlight, timeout);
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
