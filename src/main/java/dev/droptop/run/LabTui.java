package dev.droptop.run;

import dev.droptop.diagnose.Diagnoser;
import dev.droptop.diagnose.Finding;
import dev.droptop.lab.LabRun;
import dev.droptop.lab.LabSearch;
import dev.droptop.lab.Stop;
import dev.droptop.model.Snapshot;
import dev.droptop.model.SystemState;
import dev.droptop.tui.DropTopUi;
import dev.droptop.tui.Frame;
import dev.droptop.tui.LiveFeed;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code lab ... --tui}: the live screens over the lab's capture while the scenarios run on a worker
 * thread; the gauge is the nat namespace's conntrack count/max. q stops the load (cleanup as on
 * Ctrl-C); the table is printed once the terminal is restored.
 */
final class LabTui {
    private LabTui() {
    }

    /** Work that may throw, run on the worker thread. */
    @FunctionalInterface
    interface Work {
        void run() throws IOException;
    }

    static void run(LabRun run, LabRun.Options options, Stop stop, Work work) throws IOException {
        long start = System.nanoTime();
        String backend = options.backend() == null ? "lab (no capture)" : "lab, " + options.backend().name();
        LiveFeed feed = new LiveFeed(run::snapshot, backend, 1_000_000_000L, () -> System.nanoTime() - start,
                () -> gauge(run.conntrackNow()), s -> summaries(s, run));
        screen(feed, run::loadLine, stop, work, "lab", "q shows the table");
    }

    /**
     * {@code lab search --tui}: the drop screens over the search's capture; the header's note shows the
     * load (test, trial, offered rate, achieved, failures, conntrack sessions) and is refreshed twice a second.
     */
    static void search(LabSearch lab, LabRun.Options options, Stop stop, Work work) throws IOException {
        long start = System.nanoTime();
        String backend = options.backend() == null ? "lab search (no capture)" : "lab search, " + options.backend().name();
        LiveFeed feed = new LiveFeed(lab::snapshot, backend, 1_000_000_000L, () -> System.nanoTime() - start,
                () -> gauge(lab.conntrackNow()), s -> summaries(s, lab.conntrackNow()));
        screen(feed, lab::loadLine, stop, work, "search", "q shows the results");
    }

    /**
     * The screen over {@code feed} while {@code work} runs on a worker thread and a ticker refreshes the
     * load line; when the work ends the table turns to totals ({@code LiveFeed.end}). q stops the work;
     * its error, if any, is thrown once the terminal is restored.
     */
    private static void screen(LiveFeed feed, java.util.function.Supplier<String> loadLine, Stop stop, Work work,
                               String what, String then) throws IOException {
        AtomicReference<Exception> error = new AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean over = new java.util.concurrent.atomic.AtomicBoolean();
        Thread ticker = ticker(feed, loadLine, over, stop);
        Thread worker = new Thread(() -> {
            try {
                work.run();
                over.set(true);
                feed.end(stop.requested() ? what + " stopped (q quits)" : what + " finished: " + then);
            } catch (IOException | RuntimeException e) {
                over.set(true);
                error.set(e);
                feed.status(what + " failed: " + e.getMessage() + " (q quits)");
            }
        }, "droptop-" + what);
        try {
            DropTopUi.runOnTerminal(feed, ui -> {
                worker.start();
                ticker.start();
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stop.request();
        ticker.interrupt();
        try {
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (error.get() instanceof IOException io) {
            throw io;
        } else if (error.get() instanceof RuntimeException re) {
            throw re;
        }
    }

    /** Refreshes the header's note with the load line twice a second until the work is over. */
    private static Thread ticker(LiveFeed feed, java.util.function.Supplier<String> line,
                                 java.util.concurrent.atomic.AtomicBoolean over, Stop stop) {
        Thread t = new Thread(() -> {
            while (!over.get() && !stop.requested()) {
                String s = line.get();
                if (!over.get()) {
                    feed.status(s);
                }
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "droptop-lab-status");
        t.setDaemon(true);
        return t;
    }

    private static Frame.Gauge gauge(Map<String, Long> m) {
        Long count = m.get(SystemState.CT_COUNT);
        Long max = m.get(SystemState.CT_MAX);
        return count == null || max == null ? null : new Frame.Gauge(count, max);
    }

    private static List<Finding> summaries(Snapshot s, LabRun run) {
        return summaries(s, run.conntrackNow());
    }

    private static List<Finding> summaries(Snapshot s, Map<String, Long> ct) {
        SystemState state = SystemState.fromCounters(ct.isEmpty() ? List.of() : List.of(ct));
        return Diagnoser.diagnose(s, state);
    }
}
