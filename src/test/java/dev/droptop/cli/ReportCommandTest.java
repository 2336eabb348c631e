package dev.droptop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReportCommandTest {
    private static final String NAT = "samples/perf/nat-conntrack-full.perf.txt";

    @TempDir
    Path tmp;

    @Test
    void natSampleShowsNfHookSlowWithItsCallers() throws IOException {
        CliRunner.Result r = CliRunner.run("report", NAT);
        assertEquals(0, r.code(), r.stderr());
        String[] lines = r.stdout().split("\n");
        String firstRow = lines[4];
        assertTrue(firstRow.startsWith("nf_hook_slow+0x7d") && firstRow.contains("NETFILTER_DROP"), firstRow);
        assertTrue(r.stdout().contains("CALLERS OF nf_hook_slow"), r.stdout());
        assertTrue(r.stdout().contains("<- ip_rcv "), r.stdout());
        assertTrue(r.stdout().contains("<- __netif_receive_skb_one_core"), r.stdout());
    }

    /** The acceptance check: totals equal grep -c 'skb:kfree_skb:' on the same file. */
    @ParameterizedTest
    @ValueSource(strings = {NAT, "samples/perf/closed-port-tcp.perf.txt", "samples/perf/nft-udp-drop.perf.txt",
            "samples/perf/closed-port-tcp.pipe.perf.txt"})
    void totalEqualsGrepCount(String sample) throws IOException {
        long grep = Files.readAllLines(Path.of(sample), StandardCharsets.UTF_8).stream()
                .filter(l -> l.contains("skb:kfree_skb:")).count();
        JsonNode json = json("report", "--format", "json", "--kallsyms", "samples/kallsyms/kallsyms.excerpt.txt", sample);
        assertEquals(grep, json.get("total").asLong());
        long sum = 0;
        for (JsonNode d : json.get("drops")) {
            sum += d.get("count").asLong();
        }
        assertEquals(grep, sum);
    }

    /** perf script text of a CPU profile (no kfree_skb) is named for what it is, with the command that reads it. */
    @ParameterizedTest
    @ValueSource(strings = {"samples/perf/nat-load-cpu.profile", "src/test/resources/flamegraph/perf-java-stacks-02.txt",
            "src/test/resources/flamegraph/perf-rust-Yamakaky-dcpu.txt"})
    void aCpuProfileIsNamedAndSentToProfile(String file) throws IOException {
        CliRunner.Result r = CliRunner.run("report", file);
        assertEquals(2, r.code(), r.stderr());
        assertEquals("", r.stdout());
        String err = r.stderr().strip();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.contains(": a CPU profile (perf script samples of ") && err.endsWith("droptop profile --input " + file),
                err);
    }

    @Test
    void jsonFollowsTheDesignSchema() throws IOException {
        JsonNode j = json("report", "--format", "json", NAT);
        assertEquals(Set.of("schema", "source", "backend", "durationSeconds", "total", "lost", "netnsUnknown", "symbols",
                "kernel", "symbolsWarning", "inputs", "drops", "reasons", "diagnosis", "warnings", "flows", "flowTargets"), names(j));
        assertEquals("droptop-report/1", j.get("schema").asText());
        // the NAT sample names its symbols itself; its kernel is not in perf script text without --header
        assertEquals("trace", j.get("symbols").asText());
        assertTrue(j.get("kernel").get("release").isNull() && j.get("kernel").get("buildId").isNull());
        assertTrue(j.get("symbolsWarning").isNull());
        assertEquals(1, j.get("inputs").size());
        assertTrue(j.get("source").isTextual() && j.get("backend").isTextual());
        assertTrue(j.get("durationSeconds").isNumber() && j.get("total").isIntegralNumber() && j.get("lost").isIntegralNumber());
        JsonNode d = j.get("drops").get(0);
        assertEquals(Set.of("symbol", "offset", "location", "reason", "protocol", "protocolName", "count", "share",
                "netns", "device", "explanation", "topStacks"), names(d));
        assertTrue(d.get("netns").isNull() && d.get("device").isNull(), "perf script text has no netns/device");
        assertEquals(Set.of("means", "causes", "check", "benign"), names(d.get("explanation")));
        assertTrue(d.get("explanation").get("check").asText().contains("nft list ruleset"));
        assertTrue(d.get("explanation").get("benign").isNull());
        assertEquals("nf_hook_slow", d.get("symbol").asText());
        assertTrue(d.get("offset").isIntegralNumber(), "offset is a number, as in captures");
        assertEquals(0x7d, d.get("offset").asInt());
        assertEquals("nf_hook_slow+0x7d", d.get("location").asText());
        assertEquals(2048, d.get("protocol").asInt(), "protocol is the ethertype, as in captures");
        assertEquals("IPv4", d.get("protocolName").asText());
        assertEquals("NETFILTER_DROP", d.get("reason").asText());
        assertEquals(1600, d.get("count").asLong());
        assertEquals(0.754, d.get("share").asDouble(), 0.001);
        JsonNode st = d.get("topStacks").get(0);
        assertEquals(Set.of("frames", "count"), names(st));
        assertEquals("nf_hook_slow", st.get("frames").get(0).asText());
        assertEquals("ip_rcv", st.get("frames").get(1).asText());
        long prev = Long.MAX_VALUE;
        for (JsonNode drop : j.get("drops")) {
            assertTrue(drop.get("count").asLong() <= prev, "drops sorted by count, descending");
            prev = drop.get("count").asLong();
        }
        assertEquals(Set.of("reason", "count"), names(j.get("reasons").get(0)));
        assertEquals("NETFILTER_DROP", j.get("reasons").get(0).get("reason").asText());
        assertTrue(j.get("diagnosis").isArray());
    }

    @Test
    void collapsedIsRootFirstAndSumsToTheTotal() throws IOException {
        CliRunner.Result r = CliRunner.run("report", "--format", "collapsed", NAT);
        assertEquals(0, r.code());
        long sum = 0;
        for (String line : r.stdout().split("\n")) {
            int sp = line.lastIndexOf(' ');
            sum += Long.parseLong(line.substring(sp + 1));
            assertFalse(line.substring(0, sp).contains(" ;"), line);
        }
        assertEquals(2122, sum);
        assertTrue(r.stdout().contains(";ip_rcv;nf_hook_slow 1600\n") || r.stdout().contains(";ip_rcv;nf_hook_slow "),
                "leaf is the drop location, callers before it");
    }

    @Test
    void csvHasOneLinePerKey() throws IOException {
        CliRunner.Result r = CliRunner.run("report", "--format", "csv", NAT);
        List<String> lines = List.of(r.stdout().split("\n"));
        assertEquals("symbol,offset,location,reason,protocol,protocolName,count,share,netns,netnsName,container,device",
                lines.get(0));
        assertTrue(lines.get(1).startsWith("nf_hook_slow,125,nf_hook_slow+0x7d,NETFILTER_DROP,2048,IPv4,1600,"),
                lines.get(1));
        assertTrue(lines.get(1).endsWith(",,,,"), "no netns/device from perf script text: " + lines.get(1));
    }

    @Test
    void outputFileAndTopN() throws IOException {
        Path out = tmp.resolve("r.txt");
        CliRunner.Result r = CliRunner.run("report", "--top", "1", "-o", out.toString(), NAT);
        assertEquals(0, r.code());
        assertEquals("", r.stdout());
        String text = Files.readString(out);
        assertTrue(text.contains("(4 more)"), text);
    }

    @Test
    void badInputGivesOneLineAndExit2() throws IOException {
        Path empty = Files.createFile(tmp.resolve("empty.txt"));
        Path noise = tmp.resolve("noise.bin");
        byte[] b = new byte[65536];
        new java.util.Random(1).nextBytes(b);
        Files.write(noise, b);
        Path longLine = tmp.resolve("long.txt");
        Files.writeString(longLine, "x".repeat(10_000_000) + "\n");
        Path garbageOnly = tmp.resolve("garbage.txt");
        Files.writeString(garbageOnly, "x 1 [000] 1.0: skb:kfree_skb: nothing here\nmore garbage\n");
        for (Path p : List.of(empty, noise, longLine, garbageOnly, tmp.resolve("missing"), tmp)) {
            CliRunner.Result r = CliRunner.run("report", p.toString());
            assertEquals(2, r.code(), p + ": " + r.stderr());
            assertEquals(1, r.stderr().strip().split("\n").length, r.stderr());
            assertTrue(r.stderr().startsWith("droptop: " + p), r.stderr());
            assertFalse(r.stderr().contains("Exception") || r.stderr().contains("\tat "), r.stderr());
        }
    }

    @Test
    void garbageLinesAreCountedAndEscapesStripped() throws IOException {
        Path mixed = tmp.resolve("mixed.txt");
        String sample = Files.readString(Path.of("samples/perf/nft-udp-drop.perf.txt"));
        String evil = "ev\u001b]0;pwned\u0007il 99 [000] 1.0: skb:kfree_skb: skbaddr=0x1 protocol=2048 "
                + "location=sym\u001b[31mbol+0x1 reason: NO_\u009bSOCKET\n\n";
        Files.writeString(mixed, "garbage line one\n" + evil + sample + "\u0001\u0002 binary junk\n");
        CliRunner.Result r = CliRunner.run("report", mixed.toString());
        assertEquals(0, r.code(), r.stderr());
        assertTrue(r.stdout().contains("skipped: 2 unrecognised line"), r.stdout());
        assertFalse(r.stdout().chars().anyMatch(c -> c < 0x20 && c != '\n' || c == 0x9b), "no control bytes printed");
        assertTrue(r.stdout().contains("sym?[31mbol+0x1"), r.stdout());
    }

    @Test
    void unknownOptionIsAUsageError() throws IOException {
        CliRunner.Result r = CliRunner.run("report", "--format", "yaml", NAT);
        assertEquals(2, r.code());
        assertTrue(r.stderr().startsWith("droptop: unknown --format yaml"), r.stderr());
    }

    /** A trace without offsets, reasons or protocols: JSON says null and CSV leaves the field empty, never "-" or "". */
    @Test
    void unknownsAreNullInJsonAndEmptyInCsv() throws IOException {
        String stap = "samples/stap/v2010-symname.fixture.txt";
        JsonNode j = json("report", "--format", "json", stap);
        JsonNode d = j.get("drops").get(0);
        assertTrue(d.get("offset").isNull() && d.get("reason").isNull() && d.get("protocol").isNull()
                && d.get("protocolName").isNull(), d.toString());
        assertEquals(d.get("symbol").asText(), d.get("location").asText());
        assertTrue(j.get("reasons").get(0).get("reason").isNull(), j.get("reasons").toString());
        for (String[] args : List.of(new String[] {"report", "--format", "json", stap},
                new String[] {"report", "--format", "json", NAT},
                new String[] {"diff", "--format", "json", stap, NAT})) {
            assertNoDashOrEmpty(json(args), String.join(" ", args));
        }
        String csv = CliRunner.run("report", "--format", "csv", stap).stdout().split("\n")[1];
        assertTrue(csv.matches("nf_hook_slow,,nf_hook_slow,,,,\\d+,[0-9.]+,,,,"), csv);
    }

    private static void assertNoDashOrEmpty(JsonNode n, String where) {
        if (n.isTextual()) {
            assertFalse(n.asText().equals("-") || n.asText().isEmpty(), where + ": a string stands for an unknown");
        }
        n.forEach(c -> assertNoDashOrEmpty(c, where));
    }

    private static JsonNode json(String... args) throws IOException {
        CliRunner.Result r = CliRunner.run(args);
        assertEquals(0, r.code(), r.stderr());
        return new ObjectMapper().readTree(r.stdout());
    }

    private static Set<String> names(JsonNode n) {
        Set<String> s = new TreeSet<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            s.add(it.next());
        }
        return new TreeSet<>(s);
    }
}
