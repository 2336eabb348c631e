package dev.droptop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code -} is standard input and output, the format follows -o's extension, notes go to stderr. */
class UnixConventionsTest {
    private static final String NAT = "samples/perf/nat-conntrack-full.perf.txt";
    private static final String RAISED = "samples/perf/nat-conntrack-raised.perf.txt";
    private static final String PERF_DATA = "samples/perf/closed-port-tcp.perf.data";
    private static final String PROFILE = "samples/perf/nat-load-cpu.profile";

    @TempDir
    Path tmp;

    @Test
    void reportReadsStandardInputAsTheFileWouldRead() throws IOException {
        CliRunner.Result file = CliRunner.run("report", NAT);
        CliRunner.Result stdin = CliRunner.runWithInput(Files.readAllBytes(Path.of(NAT)), "report", "-");
        assertEquals(0, stdin.code(), stdin.stderr());
        assertEquals(file.stdout().replace(NAT, "standard input"), stdin.stdout());
    }

    /** A piped perf.data: copied to a temporary file for the reader, which is gone afterwards. */
    @Test
    void pipedPerfDataIsReadAndItsTemporaryCopyRemoved() throws IOException {
        List<Path> before = stdinTemps();
        CliRunner.Result r = CliRunner.runWithInput(Files.readAllBytes(Path.of(PERF_DATA)), "report", "--format",
                "json", "-");
        assertEquals(0, r.code(), r.stderr());
        JsonNode j = new ObjectMapper().readTree(r.stdout());
        assertEquals(1000, j.get("total").asLong());
        assertEquals("standard input", j.get("source").asText());
        assertEquals(before, stdinTemps(), "no droptop-stdin* file left");
    }

    @Test
    void emptyStandardInputIsOneLineAndExit2() throws IOException {
        CliRunner.Result r = CliRunner.runWithInput(new byte[0], "report", "-");
        assertEquals(2, r.code());
        assertEquals("droptop: standard input: empty\n", r.stderr());
        CliRunner.Result twice = CliRunner.runWithInput(new byte[0], "report", "-", "-");
        assertEquals(2, twice.code());
        assertTrue(twice.stderr().contains("only once"), twice.stderr());
    }

    @Test
    void diffAndProfileReadStandardInput() throws IOException {
        CliRunner.Result d = CliRunner.runWithInput(Files.readAllBytes(Path.of(RAISED)), "diff", NAT, "-");
        assertEquals(0, d.code(), d.stderr());
        assertTrue(d.stdout().contains("after:  standard input  1370 drops"), d.stdout());
        CliRunner.Result p = CliRunner.runWithInput(Files.readAllBytes(Path.of(PROFILE)), "profile", "--input", "-",
                "--symbol", "nf_hook_slow", "--format", "text");
        assertEquals(0, p.code(), p.stderr());
        assertTrue(p.stdout().startsWith("droptop profile: standard input, 1578 samples of cpu-clock"), p.stdout());
    }

    @Test
    void dashOutputIsStandardOutputNotAFileNamedDash() throws IOException {
        Path cwdDash = Path.of("-");
        assertFalse(Files.exists(cwdDash));
        CliRunner.Result r = CliRunner.run("report", "-o", "-", "--format", "csv", NAT);
        assertEquals(0, r.code(), r.stderr());
        assertTrue(r.stdout().startsWith("symbol,offset,location,"), r.stdout());
        CliRunner.Result d = CliRunner.run("diff", "-o", "-", NAT, RAISED);
        assertTrue(d.stdout().startsWith("before: "), d.stdout());
        assertFalse(Files.exists(cwdDash), "no file named - written");
    }

    @ParameterizedTest
    @CsvSource({"r.json,{", "r.csv,symbol,offset", "r.html,<!DOCTYPE html>", "r.folded,", "r.collapsed,",
            "r.txt,droptop report: ", "R.JSON,{", "r.unknown,droptop report: "})
    void formatFollowsTheOutputExtension(String name, String start) throws IOException {
        Path out = tmp.resolve(name);
        CliRunner.Result r = CliRunner.run("report", "-o", out.toString(), NAT);
        assertEquals(0, r.code(), r.stderr());
        String text = Files.readString(out);
        assertTrue(text.startsWith(start == null ? "" : start), name + ": " + text.substring(0, 80));
        if (name.endsWith("folded") || name.endsWith("collapsed")) {
            assertTrue(text.contains(";ip_rcv;nf_hook_slow "), text);
            assertFalse(text.startsWith("droptop"), text);
        }
    }

    @Test
    void explicitFormatWinsOverTheExtensionAndDiffInfersJson() throws IOException {
        Path out = tmp.resolve("r.json");
        assertEquals(0, CliRunner.run("report", "--format", "csv", "-o", out.toString(), NAT).code());
        assertTrue(Files.readString(out).startsWith("symbol,"));
        Path diff = tmp.resolve("d.json");
        assertEquals(0, CliRunner.run("diff", "-o", diff.toString(), NAT, RAISED).code());
        assertEquals("droptop-diff/1", new ObjectMapper().readTree(diff.toFile()).get("schema").asText());
        Path prof = tmp.resolve("p.json");
        CliRunner.Result p = CliRunner.run("profile", "--input", PROFILE, "-o", prof.toString());
        assertEquals(0, p.code(), p.stderr());
        assertEquals("droptop-profile-top/1", new ObjectMapper().readTree(prof.toFile()).get("schema").asText());
        // a name without a report extension is where a recording's perf.data is kept: the report stays on stdout
        CliRunner.Result kept = CliRunner.run("profile", "--input", PROFILE, "--format", "json", "-o",
                tmp.resolve("cpu.data").toString());
        assertEquals(0, kept.code(), kept.stderr());
        assertTrue(kept.stdout().contains("\"schema\" : \"droptop-profile-top/1\""), kept.stdout());
        assertFalse(Files.exists(tmp.resolve("cpu.data")), "--input: nothing recorded, nothing kept");
    }

    /** Notes about the input go to stderr, so stdout stays the data (JSON parses, text has no note lines). */
    @Test
    void notesGoToStandardErrorOnly() throws IOException {
        String capture = Files.readString(Path.of("samples/captures/closed-port-and-nft-udp.perf.jsonl"));
        String torn = capture.substring(0, capture.lastIndexOf('\n', capture.length() - 2) + 20);
        Path f = tmp.resolve("torn.jsonl");
        Files.writeString(f, torn);
        for (String format : List.of("text", "json")) {
            CliRunner.Result r = CliRunner.run("report", "--format", format, f.toString());
            assertEquals(0, r.code(), r.stderr());
            assertTrue(r.stderr().contains("droptop: note: " + f + ": "), r.stderr());
            assertFalse(r.stdout().contains("note:"), r.stdout());
        }
    }

    @Test
    void profileOfASymbolNotInTheSamplesIsOneLineAndExit2() throws IOException {
        CliRunner.Result r = CliRunner.run("profile", "--input", PROFILE, "--symbol", "nosuchsym", "--format", "text");
        assertEquals(2, r.code());
        assertEquals("droptop: nosuchsym: in none of the 1578 samples' call chains\n", r.stderr());
        assertEquals("", r.stdout());
        CliRunner.Result near = CliRunner.run("profile", "--input", PROFILE, "--symbol", "hook_slow", "--format", "json");
        assertEquals(2, near.code());
        assertTrue(near.stderr().contains("(did you mean nf_hook_slow?)"), near.stderr());
        assertFalse(near.stdout().contains("NaN"));
    }

    /** The 48-character cut is for terminals: a file gets the whole symbol. */
    @Test
    void longSymbolsAreWrittenInFullToFiles() throws IOException {
        String sym = "a_very_long_kernel_function_name_that_goes_on_and_on_for_a_while";
        Path trace = tmp.resolve("long.perf.txt");
        Files.writeString(trace, "swapper 0 [000] 1.000000: skb:kfree_skb: skbaddr=0x1 protocol=2048 location=" + sym
                + "+0x10 reason: NO_SOCKET\n");
        Path out = tmp.resolve("r.txt");
        assertEquals(0, CliRunner.run("report", "-o", out.toString(), trace.toString()).code());
        assertTrue(Files.readString(out).contains(sym + "+0x10  NO_SOCKET"), Files.readString(out));
    }

    /** replay -: the trace arrives on a pipe, the keys from the terminal (tmux): the screen shows and q quits. */
    @Test
    void replayReadsTheTraceFromAPipeAndKeysFromTheTerminal() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.droptop.testing.Tmux.installed(), "tmux not installed");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cmd = "cd '" + dev.droptop.testing.KernelTest.projectDir() + "' && cat " + NAT + " | '" + java + "' -cp '"
                + System.getProperty("java.class.path") + "' dev.droptop.cli.Main replay --speed max -;"
                + " echo REPLAY-EXIT=$?; sleep 30";
        try (dev.droptop.testing.Tmux tmux = new dev.droptop.testing.Tmux("dtstdin")) {
            tmux.run("new-session", "-d", "-x", "100", "-y", "24", "-e", "LANG=C.UTF-8", cmd);
            String screen = tmux.waitFor(30_000, "drops 2122", "nf_hook_slow+0x7d");
            assertTrue(screen.contains("perf script text"), screen);
            tmux.run("send-keys", "q");
            tmux.waitFor(10_000, "REPLAY-EXIT=0");
        }
    }

    /** On a terminal (tmux) the long symbol is cut to 48 columns with ~, and HTML is refused with one line. */
    @Test
    void onATerminalLongSymbolsAreCutAndHtmlIsRefused() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.droptop.testing.Tmux.installed(), "tmux not installed");
        String sym = "a_very_long_kernel_function_name_that_goes_on_and_on_for_a_while";
        Path trace = tmp.resolve("long.perf.txt");
        Files.writeString(trace, "swapper 0 [000] 1.000000: skb:kfree_skb: skbaddr=0x1 protocol=2048 location=" + sym
                + "+0x10 reason: NO_SOCKET\n");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String run = "'" + java + "' -cp '" + System.getProperty("java.class.path") + "' dev.droptop.cli.Main report ";
        String cmd = run + "'" + trace + "'; " + run + "--format html '" + trace + "'; echo HTML-EXIT=$?; sleep 30";
        try (dev.droptop.testing.Tmux tmux = new dev.droptop.testing.Tmux("dtcut")) {
            tmux.run("new-session", "-d", "-x", "150", "-y", "40", "-e", "LANG=C.UTF-8", cmd);
            String screen = tmux.waitFor(30_000, "HTML-EXIT=2");
            assertTrue(screen.contains(sym.substring(0, 47) + "~ "), screen);
            assertTrue(screen.lines().anyMatch(l -> l.startsWith(sym.substring(0, 47) + "~  NO_SOCKET")), screen);
            assertTrue(screen.contains("droptop: --format html writes a page for a browser, not a terminal"), screen);
            assertFalse(screen.contains("<html"), screen);
        }
    }

    private static List<Path> stdinTemps() throws IOException {
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName().toString().startsWith("droptop-stdin")).sorted().toList();
        }
    }
}
