package dev.droptop.cli;

import dev.droptop.run.DropSeries;
import dev.droptop.run.ExportOptions;
import dev.droptop.run.ExportSession;
import dev.droptop.run.Durations;
import dev.droptop.run.Failure;
import dev.droptop.run.UserError;
import dev.droptop.source.Availability;
import dev.droptop.source.Backend;
import dev.droptop.source.Backends;
import dev.droptop.system.HostInfo;
import dev.droptop.system.NetnsResolver;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code droptop export --listen ADDR:PORT}: a long-running Prometheus/OpenMetrics exporter. */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Serve drop counters, conntrack gauges and findings for Prometheus (long-running).",
                "GET /metrics: Prometheus text, or OpenMetrics 1.0 with Accept: application/openmetrics-text.",
                "GET /ready: 200 once the backend is attached and counting, else 503.",
                "A backend that dies is restarted with backoff; counters stay monotonic. Stops on SIGTERM/Ctrl-C.",
                "Needs root (like capture)."},
        footer = {"", "Examples:",
                "  droptop export --listen 127.0.0.1:9465",
                "  droptop export --labels location,reason,netns --max-series 500"})
final class ExportCommand implements Callable<Integer> {
    @Option(names = "--listen", paramLabel = "ADDR:PORT", required = true,
            description = "Address and port to serve on; a bare PORT listens on 127.0.0.1 (port 0: any free port)")
    String listen;

    @Option(names = "--backend", paramLabel = "B", description = "auto (default) or one of bpftrace, perf-native, tracefs, perf, stap")
    String backend = "auto";

    @Option(names = "--interval", paramLabel = "D", description = "Backend interval, e.g. 1s (default: ${DEFAULT-VALUE})")
    String interval = "1s";

    @Option(names = "--max-series", paramLabel = "N", description = "Cap on droptop_drops_total series (default: ${DEFAULT-VALUE})")
    int maxSeries = ExportOptions.DEFAULT_MAX_SERIES;

    @Option(names = "--idle", paramLabel = "D", description = "Remove a series without drops for D (default: ${DEFAULT-VALUE})")
    String idle = "10m";

    @Option(names = "--labels", paramLabel = "L,...", split = ",",
            description = "Labels of droptop_drops_total to keep (default: all of location,reason,protocol,netns,device)")
    Set<String> labels;

    @Option(names = "--diagnosis-window", paramLabel = "D", description = "Window of the droptop_finding rules (default: ${DEFAULT-VALUE})")
    String diagnosis = "30s";

    @picocli.CommandLine.Mixin
    FilterOptions filters = new FilterOptions();

    @Override
    public Integer call() throws IOException, InterruptedException {
        InetSocketAddress addr = address(listen);
        if (maxSeries < 1) {
            throw new UserError("--max-series must be at least 1");
        }
        Set<String> keep = labels == null ? Set.copyOf(DropSeries.LABELS) : new LinkedHashSet<>(labels);
        for (String l : keep) {
            if (!DropSeries.LABELS.contains(l)) {
                throw new UserError("--labels: unknown label " + l + " (use " + String.join(",", DropSeries.LABELS) + ")");
            }
        }
        ExportOptions options = new ExportOptions(addr.getHostString(), addr.getPort(), backend,
                Durations.parse(interval, "--interval"), maxSeries, Durations.parse(idle, "--idle"), keep,
                Durations.parse(diagnosis, "--diagnosis-window"));
        PrintStream err = System.err;
        Backend b = choose(backend, err);
        NetnsResolver names = NetnsResolver.live();
        ExportSession session = new ExportSession(options, b, names, Main.VERSION, HostInfo.kernelRelease(), err);
        session.filter(filters.filter());
        InetSocketAddress bound;
        try {
            bound = session.listen();
        } catch (BindException e) {
            throw new UserError("cannot listen on " + listen + ": " + e.getMessage());
        }
        err.println("droptop: export listening on http://" + bound.getHostString() + ":" + bound.getPort()
                + "/metrics (backend " + b.name() + ")");
        err.flush();
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> session.stop());
            } catch (IllegalArgumentException e) {
                // not available here
            }
        }
        session.run();
        err.println("droptop: export stopped");
        return Main.OK;
    }

    /** {@code ADDR:PORT}, {@code [v6]:PORT} or a bare {@code PORT} (127.0.0.1). */
    static InetSocketAddress address(String text) {
        String host = "127.0.0.1";
        String port = text;
        int colon = text.lastIndexOf(':');
        if (colon >= 0) {
            host = text.substring(0, colon);
            port = text.substring(colon + 1);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            if (host.isEmpty()) {
                throw new UserError("--listen " + text + ": give the address (e.g. 127.0.0.1:" + port
                        + "); droptop does not listen on every address unless told (0.0.0.0:" + port + ")");
            }
        }
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new UserError("--listen " + text + ": port is not a number");
        }
        if (p < 0 || p > 65535) {
            throw new UserError("--listen " + text + ": port out of range");
        }
        InetSocketAddress a = new InetSocketAddress(host, p);
        if (a.isUnresolved()) {
            throw new UserError("--listen " + text + ": unknown address " + host);
        }
        return a;
    }

    private static Backend choose(String name, PrintStream err) {
        if ("auto".equals(name)) {
            Backends.Choice c = Backends.auto();
            if (c.backend() == null) {
                throw new Failure("no backend works here: " + c.why() + " (run 'droptop doctor')");
            }
            err.println("droptop: backend " + c.backend().name() + " (" + c.why() + ")");
            return c.backend();
        }
        Backend b = Backends.named(name);
        if (b == null) {
            throw new UserError("unknown --backend " + name + " (use auto or one of " + Backends.names() + ")");
        }
        Availability a = b.check();
        if (!a.works()) {
            throw new Failure(b.name() + " does not work here: " + a.reason()
                    + (a.fix().isEmpty() ? "" : " (fix: " + a.fix() + ")"));
        }
        return b;
    }
}
