package dev.droptop.cli;

import dev.droptop.model.DropAggregator;
import dev.droptop.parse.PerfScriptParser;
import dev.droptop.run.UserError;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Parse-speed benchmark on a perf script file: droptop's parser against a naive
 * BufferedReader + String.split parser, in the same JVM run, reporting MB/s, events/s, peak heap.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = {"Measure parse speed on a perf script text file.",
        "Prints MB/s, events/s and peak heap for droptop's parser and for a naive BufferedReader + String.split"
                + " parser measured in the same run. Run it with a bounded heap, e.g. JAVA_OPTS=-Xmx256m bin/droptop"
                + " bench FILE. Any large perf script file serves as input, e.g. java -cp target/test-classes"
                + " dev.droptop.testing.SyntheticDrops 1000000 10000 > big.txt after mvn test-compile."})
final class BenchCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "perf script text of skb:kfree_skb (with or without -g)")
    Path file;

    @Option(names = "--runs", description = "Timed runs per parser after one warm-up run (default: ${DEFAULT-VALUE})")
    int runs = 3;

    @Option(names = "--no-naive", description = "Skip the naive parser")
    boolean noNaive;

    @Override
    public Integer call() throws IOException {
        if (!Files.isReadable(file)) {
            throw new UserError("cannot read " + file);
        }
        long size = Files.size(file);
        System.out.printf(Locale.ROOT, "file: %s (%.1f MB), %d timed run(s) each, max heap %d MB%n", file,
                size / 1e6, runs, Runtime.getRuntime().maxMemory() >> 20);
        measure("droptop", size, this::droptop);
        if (!noNaive) {
            measure("naive", size, this::naive);
        }
        return Main.OK;
    }

    private void measure(String name, long size, Run run) throws IOException {
        run.parse(file); // warm-up
        System.gc();
        resetPeaks();
        long best = Long.MAX_VALUE;
        long events = 0;
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            events = run.parse(file);
            best = Math.min(best, System.nanoTime() - t0);
        }
        double secs = best / 1e9;
        System.out.printf(Locale.ROOT, "%-8s %8.1f MB/s %12.0f events/s %10d events  peak heap %4d MB  best %.2f s%n",
                name, size / 1e6 / secs, events / secs, events, peakHeap() >> 20, secs);
    }

    private long droptop(Path f) throws IOException {
        DropAggregator agg = new DropAggregator(1_000_000_000L);
        PerfScriptParser p = new PerfScriptParser();
        try (InputStream in = Files.newInputStream(f)) {
            p.parse(in, agg);
        }
        agg.finish();
        return agg.total();
    }

    /** What a first attempt looks like: readLine, split, a HashMap of joined stack strings. */
    private long naive(Path f) throws IOException {
        Map<String, Long> counts = new HashMap<>();
        long events = 0;
        StringBuilder stack = new StringBuilder();
        String location = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(Files.newInputStream(f),
                StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isEmpty()) {
                    if (location != null) {
                        counts.merge(location + "|" + stack, 1L, Long::sum);
                        events++;
                    }
                    location = null;
                    stack.setLength(0);
                } else if (line.charAt(0) == '\t' || line.charAt(0) == ' ') {
                    String[] parts = line.trim().split("\\s+");
                    if (parts.length >= 2) {
                        stack.append(parts[1].split("\\+")[0]).append(';');
                    }
                } else if (line.contains("skb:kfree_skb:")) {
                    for (String part : line.split(" ")) {
                        if (part.startsWith("location=")) {
                            location = part.substring(9);
                        }
                    }
                }
            }
        }
        if (location != null) {
            events++;
        }
        return events;
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                p.resetPeakUsage();
            }
        }
    }

    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    @FunctionalInterface
    private interface Run {
        long parse(Path f) throws IOException;
    }
}
