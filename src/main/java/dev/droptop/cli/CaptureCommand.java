package dev.droptop.cli;

import dev.droptop.run.CaptureRun;
import dev.droptop.run.OutputPath;
import java.io.IOException;
import java.nio.file.Path;
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
        CaptureRun.run(live.settings(), output, System.err);
        return Main.OK;
    }
}
