package dev.droptop.cli;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;

/**
 * A measurement, not a test: what {@code droptop replay FILE} does before it opens the screens
 * (read the trace, aggregate, keep every interval for the timeline), on FILE (default
 * {@code /dev/stdin}), then prints the drops, intervals, time and peak heap:
 * <pre>
 * java -cp target/test-classes dev.droptop.testing.SyntheticDrops 10000000 10000 \
 *   | java -Xmx256m -cp target/classes:target/test-classes:DEPS dev.droptop.cli.ReplayLoadBench
 * </pre>
 */
public final class ReplayLoadBench {
    private ReplayLoadBench() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args.length > 0 ? args[0] : "/dev/stdin");
        long t0 = System.nanoTime();
        var player = CliRunner.replay(file, null, null).load();
        double secs = (System.nanoTime() - t0) / 1e9;
        long peak = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                peak += p.getPeakUsage().getUsed();
            }
        }
        System.gc();
        Runtime rt = Runtime.getRuntime();
        System.out.printf("replay load: %s, %.1f s, peak heap %d MB, live after GC %d MB, max heap %d MB%n",
                player.getClass().getSimpleName() + " ready", secs, peak >> 20, (rt.totalMemory() - rt.freeMemory()) >> 20, rt.maxMemory() >> 20);
    }
}
