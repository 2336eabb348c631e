package dev.droptop.diagnose;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.droptop.model.DropAggregator;
import dev.droptop.model.Snapshot;
import dev.droptop.parse.PerfScriptParser;
import dev.droptop.system.Privileges;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test helpers for root scenarios: network namespaces named {@code dtdiag-<pid>-<n>} (198.18.0.0/15
 * addresses only), bounded commands (argument lists, a time limit each), and drop capture with
 * {@code perf record -e skb:kfree_skb -a -g} around a load, parsed by PerfScriptParser.
 */
final class Lab implements AutoCloseable {
    private static final long TIMEOUT_S = 30;
    private final List<String> namespaces = new ArrayList<>();
    private final Path tmp;

    Lab() throws IOException {
        assumeTrue(Privileges.isRoot(), "not root: root scenarios skipped");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/perf")) || onPath("perf"), "no perf: skipped");
        tmp = Files.createTempDirectory("dtdiag");
    }

    private static boolean onPath(String tool) {
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
        Path data = tmp.resolve("perf.data");
        List<String> cmd = new ArrayList<>(List.of("perf", "record", "-q", "-e", "skb:kfree_skb", "-a", "-g", "-o",
                data.toString(), "--", "timeout", "20", "ip", "netns", "exec", ns, "python3", script.toString()));
        cmd.addAll(List.of(args));
        run(cmd);
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

    @Override
    public void close() throws IOException {
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
