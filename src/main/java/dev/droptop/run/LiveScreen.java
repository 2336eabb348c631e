package dev.droptop.run;

import dev.droptop.model.Snapshot;
import dev.droptop.model.SystemState;
import dev.droptop.system.NetnsResolver;
import dev.droptop.tui.DropTopUi;
import dev.droptop.tui.Frame;
import dev.droptop.tui.LiveFeed;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code droptop live}: the droptop screens over a {@link LiveRun} that captures meanwhile on a worker
 * thread; q, Ctrl-C or SIGTERM end the capture cleanly, then a one-line summary goes to stderr.
 */
public final class LiveScreen {
    private LiveScreen() {
    }

    /** Runs until the user quits; {@code record} is the capture file (null: none). Needs a terminal. */
    public static void run(LiveSettings settings, Path record, PrintStream err) throws IOException, InterruptedException {
        try (LiveRun run = new LiveRun(settings, err)) {
            String backend = run.chooseBackend().name();
            LiveFeed feed = new LiveFeed(run::snapshot, backend, settings.intervalNanos(), run::elapsedNanos,
                    () -> gauge(run), run::diagnose).names(NetnsResolver.live());
            AtomicReference<LiveRun.End> end = new AtomicReference<>();
            AtomicReference<Exception> error = new AtomicReference<>();
            AtomicReference<DropTopUi> ui = new AtomicReference<>();
            Thread worker = new Thread(() -> capture(run, record, feed, ui, end, error), "droptop-live");
            DropTopUi.runOnTerminal(feed, u -> {
                ui.set(u);
                worker.start();
            });
            run.requestStop();
            worker.join();
            rethrow(error.get());
            Snapshot s = run.finish(end.get() == null ? LiveRun.End.INTERRUPTED : end.get());
            err.printf(Locale.ROOT, "droptop: %d drops in %.1f s, %d lost%s%n", s.total(), run.elapsedNanos() / 1e9,
                    s.lost(), record == null ? "" : ", written to " + record);
        }
    }

    /** conntrack count/max for the header, from the last system sample (null when conntrack is absent). */
    private static Frame.Gauge gauge(LiveRun run) {
        Map<String, Long> m = run.systemNow();
        Long count = m.get(SystemState.CT_COUNT);
        Long max = m.get(SystemState.CT_MAX);
        return count == null || max == null ? null : new Frame.Gauge(count, max);
    }

    /** Starts the backend, then waits for the run to end (quit, duration, load command, backend death). */
    private static void capture(LiveRun run, Path record, LiveFeed feed, AtomicReference<DropTopUi> ui,
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
}
