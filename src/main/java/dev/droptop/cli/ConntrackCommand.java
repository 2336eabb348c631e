package dev.droptop.cli;

import dev.droptop.diagnose.Diagnoser;
import dev.droptop.diagnose.Finding;
import dev.droptop.model.ConntrackState;
import dev.droptop.model.Snapshot;
import dev.droptop.model.SystemState;
import dev.droptop.report.ConntrackReport;
import dev.droptop.run.UserError;
import dev.droptop.system.ConntrackProbe;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "conntrack", mixinStandardHelpOptions = true,
        description = {"Conntrack health and advice, once.",
                "Count/max, buckets, timeouts, stat counters, 'table full' kernel log lines of the last minutes, entry"
                        + " size and memory, entries by TCP state and source, and what to change.",
                "Exit 2 with one line when conntrack is not loaded."},
        footer = {"", "Examples:", "  droptop conntrack", "  droptop conntrack --netns nat --format json"})
final class ConntrackCommand implements Callable<Integer> {
    @Option(names = "--netns", paramLabel = "NAME", description = "read inside /run/netns/NAME (needs root)")
    String netns;

    @Option(names = "--format", paramLabel = "FMT", defaultValue = "text", description = "text or json")
    String format;

    @Option(names = "--log-minutes", paramLabel = "N", defaultValue = "10",
            description = "count kernel log 'table full' lines of the last N minutes (default ${DEFAULT-VALUE})")
    int logMinutes;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (!format.equals("text") && !format.equals("json")) {
            throw new UserError("--format must be text or json, not " + format);
        }
        if (logMinutes < 1 || logMinutes > 100_000) {
            throw new UserError("--log-minutes must be between 1 and 100000");
        }
        ConntrackState state = ConntrackProbe.look(netns, logMinutes);
        SystemState system = SystemState.of(state);
        List<Finding> findings = Diagnoser.diagnose(Snapshot.empty(1_000_000_000L), system);
        ConntrackReport report = new ConntrackReport(netns == null ? "droptop's network namespace" : "netns " + netns,
                state, Diagnoser.suggestedConntrackMax(system), findings);
        if (format.equals("json")) {
            report.json(System.out);
        } else {
            report.text(new PrintWriter(spec.commandLine().getOut(), true));
        }
        return Main.OK;
    }
}
