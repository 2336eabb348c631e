package dev.droptop.cli;

import dev.droptop.model.Protocols;
import dev.droptop.model.Sanitize;
import dev.droptop.model.Snapshot;
import dev.droptop.run.Failure;
import dev.droptop.run.LiveRun;
import dev.droptop.run.OutputPath;
import dev.droptop.run.Outputs;
import dev.droptop.system.HostInfo;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code droptop capture -o FILE}: headless live capture into a crash-safe .jsonl file. */
@Command(name = "capture", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Capture kernel drops headless into a crash-safe capture file.",
                "JSON Lines, flushed every interval: readable up to its last full interval even after kill -9.",
                "Stops on Ctrl-C / SIGTERM, after --duration, when the load command after -- exits, or when the backend"
                        + " dies; then prints a summary on stderr.",
                "A status line is shown on stderr when stderr is a terminal. Needs root."},
        footer = {"", "Examples:",
                "  droptop capture -o drops.jsonl --duration 30s",
                "  droptop capture -o nat.jsonl --stacks -- ab -n 10000 http://198.18.0.1:8080/",
                "  droptop report drops.jsonl",
                "  droptop capture -o - --duration 10s | droptop report -"})
final class CaptureCommand implements Callable<Integer> {
    @Option(names = {"-o", "--output"}, paramLabel = "FILE", required = true,
            description = "Capture file to write; - writes the JSON lines to standard output")
    Path output;

    @Mixin
    LiveOptions live = new LiveOptions();

    @Override
    public Integer call() throws IOException, InterruptedException {
        OutputPath.check(output); // before any tracing starts
        PrintStream err = System.err;
        boolean status = HostInfo.isTerminal(2);
        try (LiveRun run = new LiveRun(live.settings(), err)) {
            run.chooseBackend();
            run.start(output);
            LiveRun.End end = awaitWithStatus(run, err, status);
            Snapshot s = run.finish(end);
            if (status) {
                err.print("\r\033[K");
            }
            summary(s, run, err);
            if (end == LiveRun.End.BACKEND_FAILED) {
                throw new Failure("backend failed: " + run.failure() + " (capture kept in " + output + ")");
            }
        }
        return Main.OK;
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

    private void summary(Snapshot s, LiveRun run, PrintStream err) {
        err.printf(Locale.ROOT, "droptop: %d drops in %.1f s, %d lost, written to %s%n", s.total(),
                run.elapsedNanos() / 1e9, s.lost(), Outputs.isStdout(output) ? "standard output" : output);
        dev.droptop.source.Backend.PacketStats ps = run.packetStats();
        if (ps != null) {
            err.printf(Locale.ROOT, "droptop: %d packets written to %s, %d skipped by the rate limit (--pcap-rate %d/s),"
                    + " %d lost%n", ps.written(), live.pcap, ps.skipped(), live.pcapRate, ps.lost());
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
