package dev.droptop.diagnose;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.droptop.model.DropAggregator;
import dev.droptop.model.Snapshot;
import dev.droptop.parse.BpftraceParser;
import dev.droptop.parse.PerfScriptParser;
import dev.droptop.system.Kallsyms;
import dev.droptop.system.NetFacts;
import dev.droptop.system.Netns;
import dev.droptop.system.ProcFs;
import dev.droptop.system.TracepointFormat;
import dev.droptop.system.Privileges;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Test helpers for root scenarios: network namespaces named {@code dtdiag-<pid>-<n>} (198.18.0.0/15
 * addresses only), bounded commands (argument lists, a time limit each), and drop capture with
 * {@code perf record -e skb:kfree_skb -a -g} around a load, parsed by PerfScriptParser.
 */
final class Lab implements AutoCloseable {
    private static final long TIMEOUT_S = 30;
    private static final long EXIT_S = 120;
    private static final Path NETNS_DROPS = Path.of("src/test/resources/lab/netns-drops.bt").toAbsolutePath();
    private final List<String> namespaces = new ArrayList<>();
    private final List<Process> background = new ArrayList<>();
    private final Path tmp;

    Lab() throws IOException {
        assumeTrue(Privileges.isRoot(), "not root: root scenarios skipped");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/perf")) || onPath("perf"), "no perf: skipped");
        tmp = Files.createTempDirectory("dtdiag");
    }

    static boolean onPath(String tool) {
        try {
            return new ProcessBuilder(List.of("which", tool)).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Creates a netns with lo up; removed by {@link #close()}. */
    String netns(String tag) throws IOException {
        String name = "dtdiag-" + ProcessHandle.current().pid() + "-" + tag;
        run("ip", "netns", "add", name);
        namespaces.add(name);
        run("ip", "-n", name, "link", "set", "lo", "up");
        return name;
    }

    /**
     * Two netns joined by a veth pair: {@code [a, b]}, a holding {@code va} 198.18.1.1/24 and b
     * {@code vb} 198.18.1.2/24, both up.
     */
    String[] vethPair(String tagA, String tagB) throws IOException {
        String a = netns(tagA);
        String b = netns(tagB);
        run("ip", "link", "add", "va", "netns", a, "type", "veth", "peer", "name", "vb", "netns", b);
        run("ip", "-n", a, "addr", "add", "198.18.1.1/24", "dev", "va");
        run("ip", "-n", b, "addr", "add", "198.18.1.2/24", "dev", "vb");
        run("ip", "-n", a, "link", "set", "va", "up");
        run("ip", "-n", b, "link", "set", "vb", "up");
        return new String[] {a, b};
    }

    /** Runs {@code cmd} inside {@code ns}. */
    static String in(String ns, String... cmd) throws IOException {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        all.addAll(List.of(cmd));
        return run(all);
    }

    /** Starts {@code python3 SCRIPT ARGS} in {@code ns} in the background; killed by {@link #close()}. */
    Process background(String ns, Path script, String... args) throws IOException {
        // no timeout wrapper: ip netns exec execs python, so the PID killed on close is python's own;
        // every load mode stops by itself within 8 s
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, "python3", script.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        background.add(p);
        return p;
    }

    static String run(String... cmd) throws IOException {
        return run(List.of(cmd));
    }

    static String run(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out: " + cmd);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + cmd);
        }
        String out = new String(p.getInputStream().readAllBytes());
        if (p.exitValue() != 0) {
            throw new IOException(cmd + " exited " + p.exitValue() + ": " + out);
        }
        return out;
    }

    /** Writes a file under the lab's temp directory (nft rulesets, python loads). */
    Path file(String name, String text) throws IOException {
        return Files.writeString(tmp.resolve(name), text);
    }

    /** Runs {@code python3 SCRIPT ARGS} in {@code ns} under perf and returns the drops seen meanwhile. */
    Snapshot capture(String ns, Path script, String... args) throws IOException {
        return parse(record(ns, script, args));
    }

    /** Runs {@code python3 SCRIPT ARGS} in {@code ns} under {@code perf record}; the perf data file. */
    Path record(String ns, Path script, String... args) throws IOException {
        Path data = tmp.resolve("perf.data");
        List<String> cmd = new ArrayList<>(List.of("perf", "record", "-q", "-e", "skb:kfree_skb", "-a", "-g", "-o",
                data.toString(), "--", "timeout", "20", "ip", "netns", "exec", ns, "python3", script.toString()));
        cmd.addAll(List.of(args));
        run(cmd);
        return data;
    }

    /** The drops in a perf data file, through {@code perf script} and PerfScriptParser. */
    Snapshot parse(Path data) throws IOException {
        Path text = tmp.resolve("perf.txt");
        Process p = new ProcessBuilder(List.of("perf", "script", "-i", data.toString())).redirectOutput(text.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            p.waitFor(TIMEOUT_S, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        DropAggregator agg = new DropAggregator(1_000_000_000L);
        try (InputStream in = Files.newInputStream(text)) {
            new PerfScriptParser().parse(in, agg);
        }
        agg.finish();
        return agg.snapshot();
    }

    /** The inode of network namespace {@code ns} (what the kernel and bpftrace call its inum). */
    static long inode(String ns) throws IOException {
        return ((Number) Files.getAttribute(Netns.RUN_NETNS.resolve(ns), "unix:ino")).longValue();
    }

    /** droptop's network facts (globals from here) with those of {@code ns} over them, as the live sampler does. */
    static Map<String, Long> facts(String ns) throws IOException {
        return NetFacts.overlay(NetFacts.read(ProcFs.live()), Netns.call(ns, () -> NetFacts.read(ProcFs.live())));
    }

    /**
     * Runs {@code python3 SCRIPT ARGS} in {@code ns} while bpftrace ({@code netns-drops.bt}) records the
     * drops of the namespaces {@code watched} (at most 3) only, with stacks: other tests' drops on this
     * machine stay out, so the top row is this scenario's.
     */
    Snapshot captureIn(List<String> watched, String ns, Path script, String... args) throws IOException {
        return captureIn(watched, ns, () -> () -> { }, script, args);
    }

    /** A setting held only while the load runs (opened right before it, closed right after). */
    interface During {
        AutoCloseable open() throws IOException;
    }

    /** {@link #captureIn(List, String, Path, String...)} with {@code during} held around the load only. */
    Snapshot captureIn(List<String> watched, String ns, During during, Path script, String... args)
            throws IOException {
        List<String> cmd = new ArrayList<>(List.of("bpftrace", NETNS_DROPS.toString()));
        for (int i = 0; i < 3; i++) {
            cmd.add(i < watched.size() ? Long.toString(inode(watched.get(i))) : "0");
        }
        Path out = tmp.resolve("bpftrace.out");
        Process bt = new ProcessBuilder(cmd).redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        background.add(bt);
        try {
            awaitHeader(bt, out);
            List<String> load = new ArrayList<>(List.of("ip", "netns", "exec", ns, "timeout", "20", "python3",
                    script.toString()));
            load.addAll(List.of(args));
            try (AutoCloseable held = during.open()) {
                run(load);
            } catch (IOException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(e);
            }
        } finally {
            stop(bt);
        }
        DropAggregator agg = new DropAggregator(1_000_000_000L);
        try (InputStream in = Files.newInputStream(out)) {
            new BpftraceParser(Kallsyms.load(), TracepointFormat.runningKernelReasons()).parse(in, agg);
        }
        agg.finish();
        return agg.snapshot();
    }

    /**
     * SIGINT makes bpftrace print its map and exit; one that does not within {@link #EXIT_S} s is an
     * error, not "no drops". The bound is wide on purpose: bpftrace exits in ~0.2 s here, but once in a
     * fresh-clone bin/test (xfrmPolicyBlocks, right after the namespaces of the scenario before were
     * deleted) it had not exited 30 s after SIGINT, and perf record has been seen taking 7-17 s after
     * SIGINT on the same VM: a slow detach in the kernel, not a lost signal. A slow exit is printed.
     */
    private static void stop(Process bt) throws IOException {
        long start = System.nanoTime();
        run("kill", "-INT", Long.toString(bt.pid()));
        try {
            if (bt.waitFor(EXIT_S, TimeUnit.SECONDS)) {
                long ms = (System.nanoTime() - start) / 1_000_000;
                if (ms > 5000) {
                    System.out.println("bpftrace took " + ms + " ms to exit after SIGINT");
                }
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        bt.destroyForcibly();
        throw new IOException("bpftrace did not exit within " + EXIT_S + " s of SIGINT: its drops are lost");
    }

    /** Waits (≤ 30 s) for the program's BEGIN line: its probes are attached then. */
    private static void awaitHeader(Process bt, Path out) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
        while (System.nanoTime() < deadline) {
            if (Files.exists(out) && Files.readString(out).contains("droptop-bpftrace")) {
                return;
            }
            if (!bt.isAlive()) {
                throw new IOException("bpftrace exited " + bt.exitValue() + " before attaching");
            }
            try {
                bt.waitFor(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
        }
        throw new IOException("bpftrace did not attach within " + TIMEOUT_S + " s");
    }

    @Override
    public void close() throws IOException {
        for (Process p : background) {
            p.destroyForcibly();
            try {
                p.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (String ns : namespaces) {
            try {
                run("ip", "netns", "del", ns);
            } catch (IOException e) {
                System.err.println("could not delete netns " + ns + ": " + e.getMessage());
            }
        }
        try (var files = Files.list(tmp)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(f);
            }
        }
        Files.deleteIfExists(tmp);
    }
}
