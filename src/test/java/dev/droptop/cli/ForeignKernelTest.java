package dev.droptop.cli;

import dev.droptop.run.ReplayRun;
import dev.droptop.run.UserError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.droptop.testing.PerfDataShift;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Traces recorded on another kernel (the samples: 6.18.44-fc-v657, never the machine running the tests):
 * the true function or hex addresses with one warning, never a name from the wrong kernel
 * (hash_ipportnet6_del is what this machine's kallsyms gave for tcp_v4_rcv+0x91 of the sample).
 */
class ForeignKernelTest {
    static final List<String> ADDRESS_SAMPLES = List.of("samples/perf/closed-port-tcp.perf.data",
            "samples/perf/closed-port-tcp.pipe.perf.txt", "samples/bpftrace/closed-port-tcp.bpftrace.txt",
            "samples/bpftrace/nft-udp-drop-stacks.bpftrace.txt", "samples/stap/v2009-address.fixture.txt",
            "samples/stap/v2023-symdata.fixture.txt", "samples/stap/v2025-reason.fixture.txt");
    static final String EXCERPT = "samples/kallsyms/kallsyms.excerpt.txt";
    Path dir;

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createTempDirectory("droptop-foreign");
    }

    @AfterEach
    void tearDown() throws IOException {
        try (var s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    @Test
    void samplesOfAnotherKernelShowTrueNamesOrAddressesWithOneWarning() throws IOException {
        for (String sample : ADDRESS_SAMPLES) {
            CliRunner.Result r = CliRunner.run("report", CliRunner.project(sample).toString());
            assertEquals(0, r.code(), sample + ": " + r.stderr());
            String out = r.stdout();
            assertFalse(out.contains("hash_ipportnet6_del"), sample + "\n" + out);
            long warnings = out.lines().filter(l -> l.startsWith("WARNING: ") && l.contains("kernel addresses")).count();
            if (out.contains("0xffffffff")) {
                assertEquals(1, warnings, sample + "\n" + out);
                assertTrue(out.contains("perf archive") && out.contains("--kallsyms"), out);
            } else {
                assertEquals(0, warnings, sample + "\n" + out);
            }
        }
        // formats with no place for it, and diff: the one warning on stderr
        String bt = CliRunner.project("samples/bpftrace/closed-port-tcp.bpftrace.txt").toString();
        CliRunner.Result csv = CliRunner.run("report", "--format", "csv", bt);
        assertTrue(csv.stdout().contains("0xffffffff82033a51,"), csv.stdout());
        assertEquals(1, csv.stderr().lines().filter(l -> l.startsWith("droptop: warning: ")).count(), csv.stderr());
        CliRunner.Result diff = CliRunner.run("diff", bt, bt);
        assertEquals(2, diff.stderr().lines().filter(l -> l.startsWith("droptop: warning: ")).count(), diff.stderr());
        assertFalse(diff.stdout().contains("hash_ipportnet6_del"));
                // the perf.data says which kernel it is: never resolved against this one
        CliRunner.Result r = CliRunner.run("report", "--format", "json",
                CliRunner.project("samples/perf/closed-port-tcp.perf.data").toString());
        assertTrue(r.stdout().contains("\"symbols\" : \"none\""), r.stdout());
        assertTrue(r.stdout().contains("\"release\" : \"6.18.44-fc-v657\""), r.stdout());
        assertTrue(r.stdout().contains("\"buildId\" : \"48dc540c8b76393804ca8088dbfa7d42911a9444\""), r.stdout());
    }

    @Test
    void theRecordingsKallsymsGivesTrueNames() throws IOException {
        for (String sample : ADDRESS_SAMPLES) {
            CliRunner.Result r = CliRunner.run("report", "--kallsyms", CliRunner.project(EXCERPT).toString(),
                    CliRunner.project(sample).toString());
            assertEquals(0, r.code(), sample + ": " + r.stderr());
            assertFalse(r.stdout().contains("WARNING: "), sample + "\n" + r.stdout());
        }
        CliRunner.Result r = CliRunner.run("report", "--kallsyms", CliRunner.project(EXCERPT).toString(),
                CliRunner.project("samples/perf/closed-port-tcp.perf.data").toString());
        assertTrue(r.stdout().contains("tcp_v4_rcv+0x91  NO_SOCKET"), r.stdout());
        assertTrue(r.stdout().contains("kernel symbols: kallsyms-file (recorded on 6.18.44-fc-v657"), r.stdout());
    }

    @Test
    void kallsymsOfAnotherBuildIsRefused() throws IOException {
        // another build: larger text, and a symbol that would cover the sample's addresses
        Path other = Files.writeString(dir.resolve("other.kallsyms"), "ffffffff81000000 T _text\n"
                + "ffffffff82033000 t hash_ipportnet6_del\nffffffff82276988 T _etext\n");
        CliRunner.Result r = CliRunner.run("report", "--kallsyms", other.toString(),
                CliRunner.project("samples/perf/closed-port-tcp.perf.data").toString());
        assertEquals(0, r.code());
        assertFalse(r.stdout().contains("hash_ipportnet6_del"), r.stdout());
        assertTrue(r.stdout().contains("is of another build"), r.stdout());
        assertTrue(r.stdout().contains("0xffffffff82033a51  NO_SOCKET"), r.stdout());
    }

    @Test
    void badSymbolFilesAreOneLineAndExit2() throws IOException {
        Path empty = Files.writeString(dir.resolve("empty.kallsyms"), "not kallsyms\n");
        Path data = CliRunner.project("samples/perf/closed-port-tcp.perf.data");
        for (String[] args : List.of(new String[] {"--kallsyms", empty.toString()},
                new String[] {"--kallsyms", dir.resolve("missing.kallsyms").toString()},
                new String[] {"--archive", Files.writeString(dir.resolve("x.tar.bz2"), "BZh9 broken").toString()},
                new String[] {"--archive", dir.resolve("missing.tar.bz2").toString()})) {
            for (String cmd : List.of("report", "diff")) {
                List<String> argv = new java.util.ArrayList<>(List.of(cmd));
                argv.addAll(List.of(args));
                argv.add(data.toString());
                if (cmd.equals("diff")) {
                    argv.add(data.toString());
                }
                CliRunner.Result r = CliRunner.run(argv.toArray(new String[0]));
                assertEquals(2, r.code(), argv + ": " + r.stderr());
                assertEquals(1, r.stderr().strip().lines().count(), r.stderr());
                assertTrue(r.stdout().isEmpty());
            }
        }
    }

    /**
     * KASLR: the real sample, moved as another boot of the same build would have it (kernel mmap and
     * every kernel address in the samples shifted by 42 MiB), reads back with the same names.
     * The recording's _text/_etext come from its own kernel mmap record
     * ({@code [0xffffffff81000000(0x1209988) @ 0xffffffff81000000]: x [kernel.kallsyms]_text}).
     */
    @Test
    void kaslrShiftedRecordingIsRelocated() throws IOException {
        Path data = CliRunner.project("samples/perf/closed-port-tcp.perf.data");
        Path shifted = dir.resolve("shifted.perf.data");
        PerfDataShift.shift(data, shifted, 0x2a00000);
        Path kallsyms = dir.resolve("v657.kallsyms");
        Files.writeString(kallsyms, "ffffffff81000000 T _text\nffffffff82209988 T _etext\n"
                + Files.readString(CliRunner.project(EXCERPT)));
        CliRunner.Result a = CliRunner.run("report", "--format", "collapsed", "--kallsyms", kallsyms.toString(),
                data.toString());
        CliRunner.Result b = CliRunner.run("report", "--format", "collapsed", "--kallsyms", kallsyms.toString(),
                shifted.toString());
        assertTrue(a.stdout().contains("tcp_v4_rcv"), a.stdout());
        assertEquals(a.stdout(), b.stdout());
        CliRunner.Result t = CliRunner.run("report", "--kallsyms", kallsyms.toString(), shifted.toString());
        assertTrue(t.stdout().contains("tcp_v4_rcv+0x91  NO_SOCKET"), t.stdout());
        assertTrue(t.stdout().contains("relocated by -0x2a00000"), t.stdout());
        // without symbols the shifted addresses show as they are in the file
        CliRunner.Result n = CliRunner.run("report", shifted.toString());
        assertTrue(n.stdout().contains("0xffffffff84a33a51"), n.stdout());
    }

    @Test
    void replayTakesTheSameOptions() throws IOException {
        Path file = CliRunner.project("samples/perf/closed-port-tcp.perf.data");
        ReplayRun r = CliRunner.replay(file, null, null);
        r.load();
        assertTrue(r.warning() != null && r.warning().contains("6.18.44-fc-v657"), r.warning());
        ReplayRun k = CliRunner.replay(file, CliRunner.project(EXCERPT), null);
        k.load();
        assertEquals(null, k.warning());
        ReplayRun bad = CliRunner.replay(file, null, Files.writeString(dir.resolve("bad.tar.bz2"), "BZh9 broken"));
        UserError e = org.junit.jupiter.api.Assertions.assertThrows(UserError.class, bad::load);
        assertTrue(e.getMessage().contains("corrupt archive"), e.getMessage());
    }

    /** profile reads perf.data through perf script: --archive becomes a build-id cache perf checks itself. */
    @Test
    void profileTakesTheSameOptions() throws Exception {
        dev.droptop.testing.KernelTest.assumeTool("perf", "linux-perf");
        dev.droptop.testing.KernelTest.assumeTool("bzip2", "bzip2");
        Path data = CliRunner.project("samples/perf/closed-port-tcp.perf.data");
        String bid = "48dc540c8b76393804ca8088dbfa7d42911a9444";
        Path tree = dir.resolve("[kernel.kallsyms]").resolve(bid);
        Files.createDirectories(tree);
        Files.writeString(tree.resolve("kallsyms"), "ffffffff81000000 T _text\nffffffff82209988 T _etext\n"
                + Files.readString(CliRunner.project(EXCERPT)));
        Path archive = dir.resolve("v657.tar.bz2");
        Process tar = new ProcessBuilder("tar", "cjf", archive.toString(), "-C", dir.toString(), "[kernel.kallsyms]")
                .redirectErrorStream(true).start();
        tar.getInputStream().readAllBytes();
        assertEquals(0, tar.waitFor());
        CliRunner.Result r = CliRunner.run("profile", "--input", data.toString(), "--archive", archive.toString(),
                "--format", "text", "--symbol", "tcp_v4_rcv");
        assertEquals(0, r.code(), r.stderr());
        assertTrue(r.stdout().contains("tcp_v4_rcv: 1000 samples on the stack"), r.stdout());
        Path other = Files.writeString(dir.resolve("other.kallsyms"), "ffffffff81000000 T _text\n"
                + "ffffffff82033000 t hash_ipportnet6_del\nffffffff82276988 T _etext\n");
        CliRunner.Result o = CliRunner.run("profile", "--input", data.toString(), "--kallsyms", other.toString(),
                "--format", "text");
        assertFalse(o.stdout().contains("hash_ipportnet6_del"), o.stdout());
        assertTrue(o.stderr().contains("is of another build"), o.stderr());
        // the temporary build-id cache is gone
        try (var s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().startsWith("droptop-buildid")));
        }
        deleteTree(dir.resolve("[kernel.kallsyms]"));
    }

    private static void deleteTree(Path p) throws IOException {
        try (var s = Files.walk(p)) {
            for (Path x : (Iterable<Path>) s.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.delete(x);
            }
        }
    }
}
