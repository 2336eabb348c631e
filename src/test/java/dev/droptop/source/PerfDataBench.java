package dev.droptop.source;

import dev.droptop.model.DropAggregator;
import dev.droptop.system.Kallsyms;
import dev.droptop.system.TracepointFormat;
import java.nio.file.Path;

/**
 * A measurement, not a test: reads one perf.data three ways in the same run and prints wall times:
 * the native reader ({@link TraceInput#read}), the {@code perf script} path
 * ({@link TraceInput#perfScript}) and {@code perf report --stdio} (to /dev/null).
 * {@code java -cp target/classes:target/test-classes dev.droptop.source.PerfDataBench FILE [rounds]}.
 */
public final class PerfDataBench {
    private PerfDataBench() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        TraceInput.Tables tables = new TraceInput.Tables(Kallsyms::load, TracepointFormat::runningKernelReasons);
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            DropAggregator a = new DropAggregator(1_000_000_000L);
            TraceInput.Loaded n = TraceInput.read(file, a, tables);
            long t1 = System.nanoTime();
            DropAggregator b = new DropAggregator(1_000_000_000L);
            TraceInput.Loaded s = TraceInput.perfScript(file, b, tables);
            long t2 = System.nanoTime();
            Process p = new ProcessBuilder("perf", "report", "--stdio", "-i", file.toString())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            p.waitFor();
            long t3 = System.nanoTime();
            System.out.printf("round %d: native %s %d drops %.3f s (%.0f drops/s) | perf script %d drops %.3f s"
                    + " (%.0f drops/s) | perf report --stdio %.3f s | native %.1fx faster than perf script,"
                    + " %.1fx than perf report | stacks native %d, script %d%n", r, n.backend(), n.drops(),
                    (t1 - t0) / 1e9, n.drops() / ((t1 - t0) / 1e9), s.drops(), (t2 - t1) / 1e9,
                    s.drops() / ((t2 - t1) / 1e9), (t3 - t2) / 1e9, (double) (t2 - t1) / (t1 - t0),
                    (double) (t3 - t2) / (t1 - t0), a.stacks().size(), b.stacks().size());
        }
    }

}
