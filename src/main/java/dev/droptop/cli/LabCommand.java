package dev.droptop.cli;

import dev.droptop.run.LabArgs;
import dev.droptop.run.LabSearchArgs;
import dev.droptop.run.LabSession;
import dev.droptop.run.UserError;
import dev.droptop.source.Backend;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code droptop lab}: the case study's NAT topology in network namespaces, CSIT-style CPS load from
 * droptop's own generator, drops and conntrack captured meanwhile, one table at the end.
 */
@Command(name = "lab", mixinStandardHelpOptions = true, description = {"Reproduce the NAT case study and CSIT NAT44 CPS scenarios.",
        "Builds network namespaces (198.18.0.0/15), runs a built-in load, captures the drops meanwhile, and prints"
                + " one table. Needs root."},
        subcommands = {LabCommand.Nat.class, LabCommand.Run.class, LabCommand.Search.class, LabCommand.Clean.class},
        footer = {"", "Examples:",
                "  droptop lab nat --hosts 64 --conntrack-max 1000 --compare ip4base",
                "  droptop lab run ethip4tcp-nat44ed-h1024-p63-s64512-cps --duration 10s",
                "  droptop lab nat --hosts 64 --conntrack-max 1000 --flows --format json",
                "  droptop lab search ethip4udp-nat44ed-h1024-p63-s64512-cps --plot search.svg",
                "  droptop lab cleanup"})
final class LabCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UserError("lab needs a subcommand: nat, run, search or cleanup (droptop lab --help)");
    }

    /** {@code lab nat}: a nat44ed scenario from options. */
    @Command(name = "nat", mixinStandardHelpOptions = true, description = "Run the nat44ed scenario (optionally beside its ip4base twin).")
    static final class Nat implements Callable<Integer> {
        @Option(names = "--hosts", paramLabel = "H", description = "inside addresses (default ${DEFAULT-VALUE})")
        int hosts = 64;

        @Option(names = "--ports-per-host", paramLabel = "P", description = "source ports per inside address "
                + "(default ${DEFAULT-VALUE}); sessions = H x P")
        int ports = 63;

        @Option(names = "--profile", paramLabel = "PROFILE", description = "tcp-cps or udp-cps (default ${DEFAULT-VALUE})")
        String profile = "tcp-cps";

        @Option(names = "--compare", paramLabel = "ip4base", description = "also run the same load without NAT")
        String compare;

        @Mixin
        LabOptions options = new LabOptions();

        @Mixin
        FlowOptions flows = new FlowOptions();

        @Override
        public Integer call() throws IOException {
            return LabSession.nat(profile, hosts, ports, compare, options.args(flows));
        }
    }

    /** {@code lab run NAME}: a CSIT-style scenario name. */
    @Command(name = "run", mixinStandardHelpOptions = true, description = "Run scenarios by CSIT-style name, e.g. ethip4tcp-nat44ed-h1024-p63-s64512-cps.")
    static final class Run implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", arity = "1..4", description = "ethip4{tcp,udp}-{nat44ed,ip4base}-hH-pP-sS-cps")
        List<String> names;

        @Mixin
        LabOptions options = new LabOptions();

        @Mixin
        FlowOptions flows = new FlowOptions();

        @Override
        public Integer call() throws IOException {
            return LabSession.named(names, options.args(flows));
        }
    }

    /** {@code lab search NAME}: NDR and PDR by an MLRsearch-like search, beside the ip4base twin. */
    @Command(name = "search", mixinStandardHelpOptions = true, description = {"Search the highest rate with no loss (NDR) and"
            + " with at most 0.5%% loss (PDR) for a scenario, and for its ip4base twin.",
            "CPS trials start from fresh namespaces and offer min(S, rate x trial duration) sessions; TPUT trials follow a"
            + " ramp-up of all S sessions and offer packets (both directions counted) on them.",
            "Trials count drops per location and reason only: for the dropped flows, run the scenario with"
            + " 'lab run NAME --flows'."})
    static final class Search implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", description = "ethip4{tcp,udp}-nat44ed-hH-pP-sS-{cps,tput}")
        String name;

        @Option(names = "--trial-duration", paramLabel = "D", description = "each trial offers load for D "
                + "(default ${DEFAULT-VALUE}, at most 60s)")
        String trialDuration = "5s";

        @Option(names = "--precision", paramLabel = "F", description = "stop when the bounds are within this fraction "
                + "(default ${DEFAULT-VALUE})")
        double precision = 0.05;

        @Option(names = "--min-rate", paramLabel = "R", description = "lowest rate tried, per second (default ${DEFAULT-VALUE})")
        double minRate = 100;

        @Option(names = "--max-rate", paramLabel = "R", description = "first and highest rate tried, per second "
                + "(default 30000 CPS, 100000 packets/s for TPUT)")
        Double maxRate;

        @Option(names = "--max-trials", paramLabel = "N", description = "at most N trials per search (default ${DEFAULT-VALUE})")
        int maxTrials = 12;

        @Option(names = "--no-twin", description = "do not search the ip4base twin")
        boolean noTwin;

        @Option(names = "--plot", paramLabel = "FILE", description = "write an SVG plot of loss vs rate per trial")
        String plot;

        @Mixin
        LabOptions options = new LabOptions();

        @Override
        public Integer call() throws IOException {
            return LabSession.search(new LabSearchArgs(name, trialDuration, precision, minRate, maxRate, maxTrials,
                    !noTwin, plot, options.args(null)));
        }
    }

    /** {@code lab cleanup}. */
    @Command(name = "cleanup", mixinStandardHelpOptions = true, description = {"Remove what a killed lab run left: droptop-lab-* network namespaces and nft tables, and"
            + " restore nf_conntrack_max from /run/droptop-lab.state."})
    static final class Clean implements Callable<Integer> {
        @Override
        public Integer call() throws IOException {
            return LabSession.cleanup();
        }
    }

    /** Options every scenario run shares. */
    static final class LabOptions {
        @Option(names = "--duration", paramLabel = "D", description = "start sessions for at most D per scenario "
                + "(default ${DEFAULT-VALUE}, at most 120s)")
        String duration = "10s";

        @Option(names = "--conntrack-max", paramLabel = "N", description = "set the global nf_conntrack_max for the run;"
                + " restored afterwards, also on Ctrl-C ('lab cleanup' after kill -9)")
        Long conntrackMax;

        @Option(names = "--in-flight", paramLabel = "N", description = "sessions open at once (default 200; 5000 for search)")
        int inFlight = -1;

        @Option(names = "--timeout", paramLabel = "D", description = "a session unanswered after D fails "
                + "(default ${DEFAULT-VALUE})")
        String timeout = "1s";

        @Option(names = "--outside", paramLabel = "N", description = "outside addresses in the NAT pool "
                + "(default: sized from H x P, each address at most half of its 64512 ports)")
        int outside;

        @Option(names = "--no-capture", description = "do not capture drops (load and conntrack only)")
        boolean noCapture;

        @Option(names = "--tui", description = "show the live screens (drops, nat conntrack gauge, diagnosis) while it runs; q stops; the table follows")
        boolean tui;

        @Option(names = "--format", paramLabel = "FMT", description = "text or json (default ${DEFAULT-VALUE})")
        String format = "text";

        /** The options as typed, with {@code flows} (null: the command has none); checked by LabSession. */
        LabArgs args(FlowOptions flows) {
            return new LabArgs(duration, conntrackMax, inFlight, timeout, outside, !noCapture, tui, format,
                    flows != null && flows.flows, flows == null ? null : flows.flowCap);
        }
    }

    /** {@code --flows} of {@code lab nat} and {@code lab run}: which flows the dropped packets belonged to. */
    static final class FlowOptions {
        @Option(names = "--flows", description = "also count the drops per flow (5-tuple) in the kernel and list the top"
                + " flows per drop point (bpftrace backend; the screen's call graph is then empty)")
        boolean flows;

        @Option(names = "--flow-cap", paramLabel = "N", description = "distinct flows counted per scenario; later ones"
                + " are counted as other flows (default " + Backend.Packets.DEFAULT_FLOW_CAP + ")")
        Integer flowCap;
    }
}
