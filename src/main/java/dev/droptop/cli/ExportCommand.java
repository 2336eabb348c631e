package dev.droptop.cli;

import dev.droptop.run.Durations;
import dev.droptop.run.ExportOptions;
import dev.droptop.run.ExportSession;
import dev.droptop.run.UserError;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @Mixin
    FilterOptions filters = new FilterOptions();

    @Override
    public Integer call() throws IOException, InterruptedException {
        InetSocketAddress addr = ExportOptions.address(listen);
        if (maxSeries < 1) {
            throw new UserError("--max-series must be at least 1");
        }
        Set<String> keep = ExportOptions.labels(labels);
        ExportOptions options = new ExportOptions(addr.getHostString(), addr.getPort(), backend,
                Durations.parse(interval, "--interval"), maxSeries, Durations.parse(idle, "--idle"), keep,
                Durations.parse(diagnosis, "--diagnosis-window"));
        ExportSession.serve(options, filters.given(), listen, System.err);
        return Main.OK;
    }
}
