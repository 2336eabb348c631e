package dev.droptop.cli;

import dev.droptop.run.ParseBench;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code droptop bench FILE}: parse speed on a perf script file ({@link ParseBench}). */
@Command(name = "bench", mixinStandardHelpOptions = true, description = {"Measure parse speed on a perf script text file.",
        "Prints MB/s, events/s and peak heap for droptop's parser on one core, for droptop's whole read path"
                + " (all cores on big files, as report reads them), and for a naive BufferedReader + String.split"
                + " parser, in the same run; then report --format collapsed FILE end to end, each run in a fresh JVM"
                + " (through bin/droptop when started by it; wall time, and the folded total to compare with"
                + " stackcollapse-perf.pl). Run it with a bounded heap, e.g. JAVA_OPTS=-Xmx256m bin/droptop bench FILE."
                + " Any large perf script file serves as input: the project's bench data (xz -dc"
                + " kfree_skb.perf-script.txt.xz > big.txt), or java -cp target/test-classes"
                + " dev.droptop.testing.SyntheticDrops 1000000 10000 > big.txt after mvn test-compile."})
final class BenchCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "perf script text of skb:kfree_skb (with or without -g)")
    Path file;

    @Option(names = "--runs", description = "Timed runs per parser after one warm-up run (default: ${DEFAULT-VALUE})")
    int runs = 3;

    @Option(names = "--no-naive", description = "Skip the naive parser")
    boolean noNaive;

    @Option(names = "--no-end-to-end", description = "Skip the end-to-end runs of report in a fresh JVM")
    boolean noEndToEnd;

    @Override
    public Integer call() throws IOException {
        new ParseBench(file, runs, System.out, noEndToEnd ? List.of() : droptop()).run(!noNaive);
        return Main.OK;
    }

    /**
     * The launcher this droptop was started by ({@code bin/droptop}, with the JVM options it picks for
     * the input), else this JVM's java, options and class path running droptop's main class.
     */
    private static List<String> droptop() {
        String home = System.getProperty("droptop.home");
        if (home != null && Files.isExecutable(Path.of(home, "bin", "droptop"))) {
            return List.of(Path.of(home, "bin", "droptop").toString());
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        return cmd;
    }
}
