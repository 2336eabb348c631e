package dev.droptop.cli;

import dev.droptop.run.LiveScreen;
import dev.droptop.run.Outputs;
import dev.droptop.run.UserError;
import dev.droptop.system.HostInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
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
final class LiveCommand implements Callable<Integer> {
    @Option(names = "--record", paramLabel = "FILE", description = "Also write the capture file")
    Path record;

    @Mixin
    LiveOptions live = new LiveOptions();

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (Outputs.isStdout(record) && record != null) {
            throw new UserError("--record -: standard output is the live screen; to stream a capture"
                    + " use: droptop capture -o -");
        }
        if (!HostInfo.isTerminal(1)) {
            System.err.println("droptop: live needs a terminal; to capture without one use: droptop capture -o FILE");
            return Main.USAGE;
        }
        LiveScreen.run(live.settings(), record, System.err);
        return Main.OK;
    }
}
