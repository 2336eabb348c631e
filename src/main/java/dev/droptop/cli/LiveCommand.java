package dev.droptop.cli;

import dev.droptop.model.Snapshot;
import dev.droptop.model.SystemState;
import dev.droptop.run.Failure;
import dev.droptop.run.LiveRun;
import dev.droptop.run.Outputs;
import dev.droptop.system.HostInfo;
import dev.droptop.tui.DropTopUi;
import dev.droptop.tui.Frame;
import dev.droptop.tui.LiveFeed;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code droptop live} (and {@code droptop} alone): the live TUI over a capture that runs meanwhile. */
@Command(name = "live", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Watch kernel drops live: drop table by rate, sparklines, call graph of the selected row.",
                "q or Ctrl-C ends the capture cleanly (the --record file gets its end record). Needs root and a"
                        + " terminal; without one use 'droptop capture -o FILE'."},
        footer = {"", "Examples:",
                "  droptop",
                "  droptop live --stacks --record nat.jsonl -- ab -n 10000 http://198.18.0.1/"})
final class LiveCommand implements java.util.concurrent.Callable<Integer> {
    @Option(names = "--record", paramLabel = "FILE", description = "Also write the capture file")
    Path record;

    @Mixin
    LiveOptions live = new LiveOptions();

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (Outputs.isStdout(record) && record != null) {
            throw new dev.droptop.run.UserError("--record -: standard output is the live screen; to stream a capture"
                    + " use: droptop capture -o -");
        }
        if (!HostInfo.isTerminal(1)) {
            System.err.println("droptop: live needs a terminal; to capture without one use: droptop capture -o FILE");
            return Main.USAGE;
        }
        try (LiveRun run = new LiveRun(live.settings(), System.err)) {
            String backend = run.chooseBackend().name();
            LiveFeed feed = new LiveFeed(run::snapshot, backend, live.intervalNanos(), run::elapsedNanos,
                    () -> gauge(run), run::diagnose).names(dev.droptop.system.NetnsResolver.live());
            AtomicReference<LiveRun.End> end = new AtomicReference<>();
            AtomicReference<Exception> error = new AtomicReference<>();
            AtomicReference<DropTopUi> ui = new AtomicReference<>();
            Thread worker = new Thread(() -> capture(run, feed, ui, end, error), "droptop-live");
            DropTopUi.runOnTerminal(feed, u -> {
                ui.set(u);
                worker.start();
            });
            run.requestStop();
            worker.join();
            rethrow(error.get());
            summary(run.finish(end.get() == null ? LiveRun.End.INTERRUPTED : end.get()), run);
        }
        return Main.OK;
    }

    /** conntrack count/max for the header, from the last system sample (null when conntrack is absent). */
    private static Frame.Gauge gauge(LiveRun run) {
        java.util.Map<String, Long> m = run.systemNow();
        Long count = m.get(SystemState.CT_COUNT);
        Long max = m.get(SystemState.CT_MAX);
        return count == null || max == null ? null : new Frame.Gauge(count, max);
    }

    /** Starts the backend, then waits for the run to end (quit, duration, load command, backend death). */
    private void capture(LiveRun run, LiveFeed feed, AtomicReference<DropTopUi> ui,
                         AtomicReference<LiveRun.End> end, AtomicReference<Exception> error) {
        try {
            run.start(record);
            LiveRun.End e = run.await();
            end.set(e);
            if (e == LiveRun.End.BACKEND_FAILED) {
                feed.end("backend failed: " + run.failure() + " (q quits)");
            } else if (e == LiveRun.End.COMPLETED) {
                feed.end("capture ended (q quits)");
            } else {
                // SIGINT/SIGTERM (or q, which already quit): leave the screen as q does, restoring the
                // terminal, then the summary; before, the screen stayed up and ignored the signal
                ui.get().requestQuit();
            }
        } catch (Exception e) {
            error.set(e);
            ui.get().requestQuit();
        }
    }

    private static void rethrow(Exception e) throws IOException {
        if (e instanceof IOException) {
            throw (IOException) e;
        }
        if (e instanceof RuntimeException) {
            throw (RuntimeException) e;
        }
        if (e != null) {
            throw new Failure("live capture stopped: " + e);
        }
    }

    private void summary(Snapshot s, LiveRun run) {
        System.err.printf(Locale.ROOT, "droptop: %d drops in %.1f s, %d lost%s%n", s.total(), run.elapsedNanos() / 1e9,
                s.lost(), record == null ? "" : ", written to " + record);
    }
}
