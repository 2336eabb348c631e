package dev.droptop.run;

import dev.droptop.model.Protocols;
import dev.droptop.model.Sanitize;
import dev.droptop.model.Snapshot;
import dev.droptop.source.Backend;
import dev.droptop.system.HostInfo;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code droptop capture}: a {@link LiveRun} without screens into a capture file, with a status line
 * on stderr when stderr is a terminal, then a summary (totals, packets written, the top ten rows).
 */
public final class CaptureRun {
    private CaptureRun() {
    }

    /** Captures into {@code output} ({@code -}: standard output) until the run ends; a dead backend is a {@link Failure}. */
    public static void run(LiveSettings settings, Path output, PrintStream err) throws IOException, InterruptedException {
        boolean status = HostInfo.isTerminal(2);
        try (LiveRun run = new LiveRun(settings, err)) {
            run.chooseBackend();
            run.start(output);
            LiveRun.End end = awaitWithStatus(run, err, status);
            Snapshot s = run.finish(end);
            if (status) {
                err.print("\r\033[K");
            }
            summary(s, run, settings.packets(), output, err);
            if (end == LiveRun.End.BACKEND_FAILED) {
                throw new Failure("backend failed: " + run.failure() + " (capture kept in " + output + ")");
            }
        }
    }

    private static LiveRun.End awaitWithStatus(LiveRun run, PrintStream err, boolean status) throws InterruptedException {
        if (!status) {
            return run.await();
        }
        Thread t = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                Snapshot s = run.snapshot();
                err.printf(Locale.ROOT, "\r\033[Kelapsed %ds  drops %d  rate %.0f/s  lost %d", run.elapsedNanos() / 1_000_000_000L,
                        s.total(), s.currentRate(), s.lost());
                err.flush();
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "droptop-status");
        t.setDaemon(true);
        t.start();
        try {
            return run.await();
        } finally {
            t.interrupt();
            t.join(1000);
        }
    }

    private static void summary(Snapshot s, LiveRun run, Backend.Packets packets, Path output, PrintStream err) {
        err.printf(Locale.ROOT, "droptop: %d drops in %.1f s, %d lost, written to %s%n", s.total(),
                run.elapsedNanos() / 1e9, s.lost(), Outputs.isStdout(output) ? "standard output" : output);
        Backend.PacketStats ps = run.packetStats();
        if (ps != null) {
            err.printf(Locale.ROOT, "droptop: %d packets written to %s, %d skipped by the rate limit (--pcap-rate %d/s),"
                    + " %d lost%n", ps.written(), packets.pcap(), ps.skipped(), packets.rate(), ps.lost());
        }
        int n = 0;
        for (Snapshot.Row r : s.rows()) {
            if (n++ == 10) {
                break;
            }
            err.printf(Locale.ROOT, "  %-40s %-22s %-5s %10d %6.1f%%%n", Sanitize.text(r.key().location()),
                    Sanitize.text(r.key().reasonOrDash()), Protocols.name(r.key().protocol()), r.total(),
                    s.total() == 0 ? 0.0 : 100.0 * r.total() / s.total());
        }
    }
}
