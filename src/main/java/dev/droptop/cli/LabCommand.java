package dev.droptop.cli;

import dev.droptop.lab.Cleanup;
import dev.droptop.lab.Scenario;
import dev.droptop.run.Durations;
import dev.droptop.run.LabSession;
import dev.droptop.run.OutputPath;
import dev.droptop.run.UserError;
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
        LabFlowOptions flows = new LabFlowOptions();

        @Override
        public Integer call() throws IOException {
            if (compare != null && !compare.equals("ip4base")) {
                throw new UserError("--compare takes ip4base, not " + compare);
            }
            Scenario s;
            try {
                s = new Scenario(Scenario.Profile.parse(profile), true, hosts, ports);
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
            return LabSession.run(compare == null ? List.of(s) : List.of(s, s.base()), flows.apply(options.settings()));
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
        LabFlowOptions flows = new LabFlowOptions();

        @Override
        public Integer call() throws IOException {
            List<Scenario> list;
            try {
                list = names.stream().map(Scenario::parse).toList();
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
            return LabSession.run(list, flows.apply(options.settings()));
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
            Scenario s;
            try {
                s = Scenario.parse(name);
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
            if (!s.nat()) {
                throw new UserError("search a nat44ed test; its ip4base twin is searched beside it");
            }
            long d = Durations.parse(trialDuration, "--trial-duration");
            if (d < 500_000_000L || d > 60_000_000_000L) {
                throw new UserError("--trial-duration must be between 0.5s and 60s");
            }
            double max = maxRate != null ? maxRate : s.profile().tput() ? 100_000 : 30_000;
            if (!(max <= 1_000_000)) {
                throw new UserError("--max-rate must be at most 1000000");
            }
            if (!options.inFlightGiven()) {
                options.inFlight = 5_000;
            }
            return LabSession.search(s, new LabSession.SearchSettings(options.settings(), minRate, max, precision,
                    maxTrials, d, !noTwin, plot == null ? null : OutputPath.check(java.nio.file.Path.of(plot))));
        }
    }

    /** {@code lab cleanup}. */
    @Command(name = "cleanup", mixinStandardHelpOptions = true, description = {"Remove what a killed lab run left: droptop-lab-* network namespaces and nft tables, and"
            + " restore nf_conntrack_max from /run/droptop-lab.state."})
    static final class Clean implements Callable<Integer> {
        @Override
        public Integer call() throws IOException {
            LabSession.requireRoot();
            List<String> done = Cleanup.run();
            if (done.isEmpty()) {
                System.out.println("nothing to clean up");
            }
            done.forEach(System.out::println);
            return Main.OK;
        }
    }

    /** Options every scenario run shares. */
    static final class LabOptions {
        private static final long MAX_DURATION = 120_000_000_000L;

        @Option(names = "--duration", paramLabel = "D", description = "start sessions for at most D per scenario "
                + "(default ${DEFAULT-VALUE}, at most 120s)")
        String duration = "10s";

        @Option(names = "--conntrack-max", paramLabel = "N", description = "set the global nf_conntrack_max for the run;"
                + " restored afterwards, also on Ctrl-C ('lab cleanup' after kill -9)")
        Long conntrackMax;

        @Option(names = "--in-flight", paramLabel = "N", description = "sessions open at once (default 200; 5000 for search)")
        int inFlight = -1;

        boolean inFlightGiven() {
            return inFlight != -1;
        }

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

        /** The options checked and parsed; bad values are a {@link UserError}. */
        LabSession.Settings settings() {
            if (!format.equals("text") && !format.equals("json")) {
                throw new UserError("--format must be text or json, not " + format);
            }
            long d = Durations.parse(duration, "--duration");
            if (d <= 0 || d > MAX_DURATION) {
                throw new UserError("--duration must be more than 0 and at most 120s");
            }
            long t = Durations.parse(timeout, "--timeout");
            if (t < 10_000_000L || t > 30_000_000_000L) {
                throw new UserError("--timeout must be between 10ms and 30s");
            }
            if (inFlight == -1) {
                inFlight = 200;
            }
            if (inFlight < 1 || inFlight > 20_000) {
                throw new UserError("--in-flight must be 1..20000");
            }
            if (conntrackMax != null && (conntrackMax < 1 || conntrackMax > Integer.MAX_VALUE)) {
                throw new UserError("--conntrack-max must be 1.." + Integer.MAX_VALUE);
            }
            if (outside < 0 || outside > 16_000) {
                throw new UserError("--outside must be 1..16000");
            }
            return new LabSession.Settings(d, inFlight, t, !noCapture, conntrackMax, tui, format.equals("json"), outside);
        }
    }
}
