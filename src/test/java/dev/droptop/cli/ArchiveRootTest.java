package dev.droptop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.droptop.system.Kallsyms;
import dev.droptop.system.SymbolSearch;
import dev.droptop.testing.KernelTest;
import dev.droptop.testing.PerfDataShift;
import dev.droptop.testing.TestNetns;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * As root with perf: a real recording of closed-port TCP drops in a test netns, its {@code perf archive}
 * bundle, and droptop reading it on a "machine" whose own kernel symbols are hidden (the running
 * kallsyms pointed at a missing file, an empty build-id cache): hex and one warning without the
 * archive, perf's own names with it. Then the same recording moved as by KASLR on another boot.
 * perf's build-id cache goes to a temporary directory ({@code perf --buildid-dir}), not ~/.debug.
 */
@Tag("root")
class ArchiveRootTest {
    private static final Pattern LOCATION = Pattern.compile("location=(tcp_v[46]_rcv\\+0x[0-9a-f]+) reason: NO_SOCKET");

    @Test
    void perfArchiveGivesTrueNamesWhereTheKernelsSymbolsAreHidden() throws Exception {
        KernelTest.assumeRootAndNetns();
        KernelTest.assumeTracefs();
        KernelTest.assumeTool("perf", "linux-perf");
        KernelTest.assumeTool("bzip2", "bzip2");
        Path dir = Files.createTempDirectory("droptop-archive");
        Path debug = dir.resolve("debug");
        Path data = dir.resolve("closed.perf.data");
        try (TestNetns ns = TestNetns.create("archive")) {
            String cp = System.getProperty("java.class.path");
            run(Map.of(), "perf", "--buildid-dir", debug.toString(), "record", "-q", "-e", "skb:kfree_skb", "-a",
                    "-g", "-o", data.toString(), "--", "ip", "netns", "exec", ns.name(), "java", "-cp", cp,
                    "dev.droptop.testing.DropGen", "tcp", "127.0.0.1", "9", "50", "5");
            String made = run(Map.of("PERF_BUILDID_DIR", debug.toString()), "perf", "archive", data.toString());
            Path archive = Path.of(data + ".tar.bz2");
            // what perf put in it, by the tar tool: a failure here is perf's build-id cache, not droptop
            String listing = run(Map.of(), "tar", "tjf", archive.toString());
            assertTrue(listing.contains("[kernel.kallsyms]/"), "perf archive wrote no kernel symbols: " + made
                    + "\n" + listing + "\ncache: " + run(Map.of(), "find", debug.toString(), "-maxdepth", "3"));
            String script = run(Map.of(), "perf", "--buildid-dir", debug.toString(), "script", "-i", data.toString());
            Matcher m = LOCATION.matcher(script);
            assertTrue(m.find(), "perf script shows no closed-port drop");
            String truth = m.group(1);

            CliRunner.Result running = CliRunner.run("report", "--format", "collapsed", data.toString());
            hideRunningKernel(dir);
            try {
                CliRunner.Result hidden = CliRunner.run("report", data.toString());
                assertEquals(0, hidden.code(), hidden.stderr());
                assertFalse(hidden.stdout().contains(truth), hidden.stdout());
                assertEquals(1, hidden.stdout().lines().filter(l -> l.startsWith("WARNING: ")).count(),
                        hidden.stdout());
                CliRunner.Result withArchive = CliRunner.run("report", "--archive", archive.toString(), data.toString());
                assertEquals(0, withArchive.code(), withArchive.stderr());
                assertTrue(Pattern.compile("(?m)^" + Pattern.quote(truth) + " +NO_SOCKET ").matcher(withArchive.stdout())
                        .find(), withArchive.stdout());
                assertTrue(withArchive.stdout().contains("kernel symbols: archive"), withArchive.stdout());
                CliRunner.Result folded = CliRunner.run("report", "--format", "collapsed", "--archive",
                        archive.toString(), data.toString());
                assertEquals(running.stdout(), folded.stdout(), "the archive names every frame as the kernel does");
                CliRunner.Result json = CliRunner.run("report", "--format", "json", "--archive", archive.toString(),
                        data.toString());
                assertTrue(json.stdout().contains("\"symbols\" : \"archive\""), json.stdout());

                // KASLR: the same build on another boot, 64 MiB higher; the archive's table is relocated
                Path shifted = dir.resolve("shifted.perf.data");
                PerfDataShift.shift(data, shifted, 0x4000000);
                CliRunner.Result moved = CliRunner.run("report", "--format", "collapsed", "--archive",
                        archive.toString(), shifted.toString());
                assertEquals(running.stdout(), moved.stdout());
            } finally {
                System.clearProperty(Kallsyms.PATH_PROPERTY);
                System.clearProperty(SymbolSearch.BUILDID_DIR_PROPERTY);
            }
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                    Files.delete(p);
                }
            }
        }
    }

    private static void hideRunningKernel(Path dir) {
        System.setProperty(Kallsyms.PATH_PROPERTY, dir.resolve("no-kallsyms").toString());
        System.setProperty(SymbolSearch.BUILDID_DIR_PROPERTY, dir.resolve("empty-cache").toString());
    }

    private static String run(Map<String, String> env, String... cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(List.of(cmd)).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", cmd));
        return out;
    }
}
