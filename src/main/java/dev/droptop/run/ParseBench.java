package dev.droptop.run;

import dev.droptop.model.DropAggregator;
import dev.droptop.model.SymbolResolver;
import dev.droptop.parse.PerfScriptParser;
import dev.droptop.source.TraceInput;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code droptop bench}: parse speed on a perf script file, in one JVM run, best of {@code runs}
 * after a warm-up: droptop's parser on one core, droptop's whole read path (format guess, all cores
 * for big files: what report does), and a naive BufferedReader + String.split parser as the
 * baseline every measurement is compared with (it is the only place that baseline lives). Then the
 * figure a user sees: {@code report --format collapsed FILE} end to end in a fresh JVM each time
 * (start-up, JIT warm-up, all cores, output), wall time, with the sum of the folded counts (the
 * number to compare with {@code stackcollapse-perf.pl FILE}).
 */
public final class ParseBench {
    private final Path file;
    private final int runs;
    private final PrintStream out;
    private final List<String> droptop;

    /** {@code droptop}: the command that starts droptop in a new JVM (empty: no end-to-end figure). */
    public ParseBench(Path file, int runs, PrintStream out, List<String> droptop) {
        this.file = file;
        this.runs = runs;
        this.out = out;
        this.droptop = droptop;
    }

    /** Runs the measurements; {@code naive} adds the baseline. */
    public void run(boolean naive) throws IOException {
        if (!Files.isReadable(file)) {
            throw new UserError("cannot read " + file);
        }
        long size = Files.size(file);
        out.printf(Locale.ROOT, "file: %s (%.1f MB), %d timed run(s) each, max heap %d MB, %d cores%n", file,
                size / 1e6, runs, Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors());
        measure("droptop", size, this::droptop);
        measure("all-cores", size, this::allCores);
        if (naive) {
            measure("naive", size, this::naive);
        }
        if (!droptop.isEmpty()) {
            endToEnd(size);
        }
    }

    /** {@code report --format collapsed FILE} in a fresh JVM, {@code runs} times: best and median wall time. */
    private void endToEnd(long size) throws IOException {
        List<String> cmd = new ArrayList<>(droptop);
        cmd.addAll(List.of("report", "--format", "collapsed", file.toString()));
        long[] walls = new long[runs];
        long samples = 0;
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            samples = foldedTotal(cmd);
            walls[i] = System.nanoTime() - t0;
        }
        Arrays.sort(walls);
        double best = walls[0] / 1e9;
        out.printf(Locale.ROOT, "%-8s %8.1f MB/s %12.0f events/s %10d samples (folded total)  best %.2f s  median %.2f s"
                + "  (report --format collapsed, fresh JVM)%n", "end2end", size / 1e6 / best, samples / best, samples,
                best, walls[(runs - 1) / 2] / 1e9);
    }

    /** Runs {@code cmd} and sums the counts that end its output's lines. */
    private static long foldedTotal(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        long total = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                int space = line.lastIndexOf(' ');
                total += Long.parseLong(line.substring(space + 1));
            }
            int rc = p.waitFor();
            if (rc != 0) {
                throw new IOException("droptop report exited with " + rc + ": " + String.join(" ", cmd));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } catch (NumberFormatException e) {
            p.destroy();
            throw new IOException("not folded output from: " + String.join(" ", cmd));
        }
        return total;
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
        out.printf(Locale.ROOT, "%-8s %8.1f MB/s %12.0f events/s %10d events  peak heap %4d MB  best %.2f s%n",
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

    /** The read path of report: format guess, then one parser or all cores for a big file. */
    private long allCores(Path f) throws IOException {
        DropAggregator agg = new DropAggregator(1_000_000_000L);
        TraceInput.read(f, agg, new TraceInput.Tables(() -> SymbolResolver.NONE, () -> null));
        agg.finish();
        return agg.total();
    }
}
