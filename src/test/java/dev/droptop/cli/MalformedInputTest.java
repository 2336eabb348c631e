package dev.droptop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.droptop.capture.CaptureReader;
import dev.droptop.model.DropAggregator;
import dev.droptop.testing.FuzzInvariants;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The malformed-input corpus ({@code src/test/resources/malformed/}): each file with the exit code
 * and the error (stderr, exit 2) or warning/output (stdout, exit 0) {@code droptop report} must give.
 * For every case: one-line errors, no stack trace, and no byte that could drive a terminal (C0 except
 * newline, DEL, C1 such as 0x9b CSI) in stdout or stderr. Generated cases (every prefix of a real
 * capture, huge lines, random noise) follow the table.
 */
class MalformedInputTest {
    private static final String DIR = "src/test/resources/malformed/";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            # file                          | exit | stream | expected text
            binary-noise.bin                | 2    | err    | not a trace droptop can read
            perf-ansi-osc.txt               | 0    | out    | nf_hook?[2J?[31m_slow+0x96  NETFILTER_DROP
            perf-invalid-utf8.txt           | 2    | err    | no drops could be read (1 lines skipped, first: malformed kfree_skb line)
            tracefs-ansi-osc.txt            | 0    | out    | nf_hook?]8;;http://x?\\slow+0x96  NETFILTER?[0m_DROP
            tracefs-invalid-utf8.txt        | 0    | out    | nf_hook_\uFFFD\uFFFD\uFFFD\uFFFDslow+0x96
            dropwatch-out-of-range.txt      | 0    | out    | skipped: 2 unrecognised line (first: 99999999999999999999999 packets dropped
            dropwatch-sum-overflows.txt     | 0    | out    | skipped: 2 count overflows the 64-bit total (first: 999999999999999999 packets dropped at sym_9)
            bpftrace-counts-overflow.txt    | 0    | out    | skipped: 1 count overflows the 64-bit total (first: @loc[0xffffffff81eb83a9, 74]: 999999999999999999)
            bpftrace-interval-overflow.txt  | 0    | out    | skipped: 1 bad interval in droptop-bpftrace header (first: droptop-bpftrace 1 interval_ms=99999999999999
            capture-ansi-symbol.jsonl       | 0    | out    | nf?]8;;http://e?\\x+0x1  NO?[31m_SOCKET
            capture-hostile-header.jsonl    | 0    | out    | No drops recorded.
            capture-negative-count.jsonl    | 2    | err    | capture-negative-count.jsonl:2: drops[0]: negative "count" (-3)
            capture-count-too-big.jsonl     | 2    | err    | capture-count-too-big.jsonl:2: drops[0]: "count" out of range
            capture-counts-overflow.jsonl   | 2    | err    | capture-counts-overflow.jsonl:3: drop counts overflow a 64-bit total
            capture-duplicate-interval.jsonl| 2    | err    | capture-duplicate-interval.jsonl:3: interval 0 repeats or goes back from interval 0
            capture-out-of-order.jsonl      | 2    | err    | capture-out-of-order.jsonl:3: interval ends at 2000, before the previous one (3000)
            capture-duplicate-stack.jsonl   | 2    | err    | capture-duplicate-stack.jsonl:3: stack 1 defined twice
            """)
    void corpus(String file, int exit, String stream, String expected) throws IOException {
        CliRunner.Result r = CliRunner.run("report", DIR + file);
        check(r, exit);
        String where = "err".equals(stream) ? r.stderr() : r.stdout();
        assertTrue(where.contains(expected.replace("\\\\", "\\")), file + " -> " + where + r.stderr());
    }

    /** Two inputs whose sums pass 2^63-1: the totals stop there, and the report says so (text and JSON). */
    @Test
    void saturatedTotalsAreReported() throws IOException {
        String f = DIR + "capture-near-max.jsonl";
        CliRunner.Result r = CliRunner.run("report", f, f);
        check(r, 0);
        assertTrue(r.stdout().contains(Long.MAX_VALUE + " drops in"), r.stdout());
        assertTrue(r.stdout().contains("warning: 1 count saturated (first: the inputs together count more than "
                + Long.MAX_VALUE), r.stdout());
        r = CliRunner.run("report", "--format", "json", f, f);
        check(r, 0);
        assertTrue(r.stdout().contains("\"count saturated\" : 1"), r.stdout());
        r = CliRunner.run("report", f);
        assertFalse(r.stdout().contains("saturated"), r.stdout());
    }

    /** A header {@code command} of {@code ["rm","-rf","/"]} is data: printed sanitised, never run. */
    @Test
    void commandInACaptureHeaderIsNeverRun(@TempDir Path tmp) throws IOException {
        Path canary = tmp.resolve("canary");
        Files.writeString(canary, "still here");
        String header = Files.readAllLines(CliRunner.project(DIR + "capture-hostile-header.jsonl")).get(0)
                .replace("[\"rm\",\"-rf\",\"/\"]", "[\"rm\",\"-f\",\"" + canary + "\"]");
        Path cap = tmp.resolve("hostile.jsonl");
        Files.writeString(cap, header + "\n");
        for (String format : new String[] {"text", "json", "csv", "html"}) {
            CliRunner.Result r = CliRunner.run("report", "--format", format, cap.toString());
            check(r, 0);
        }
        CliRunner.replay(cap, null, null).load(); // what replay does before it opens the screens
        assertTrue(Files.exists(canary), "the header's command was executed");
    }

    /** Every prefix of a real capture reads with no exception, or fails with the documented IOException. */
    @Test
    void everyPrefixOfARealCaptureKeepsItsCompleteIntervals() throws IOException {
        byte[] all = Files.readAllBytes(CliRunner.project("samples/captures/closed-port-and-nft-udp.perf.jsonl"));
        int headerEnd = indexOf(all, (byte) '\n', 0) + 1;
        for (int len = 0; len <= all.length; len++) {
            byte[] prefix = Arrays.copyOf(all, len);
            DropAggregator agg = new DropAggregator(1_000_000_000L);
            try {
                CaptureReader.Result res = CaptureReader.read(new ByteArrayInputStream(prefix), "p", h -> agg);
                assertTrue(len >= headerEnd - 1, "a cut header must not read: " + len);
                // a line cut just before its newline is still a whole record
                byte[] whole = len < all.length && all[len] == '\n' ? Arrays.copyOf(all, len + 1) : prefix;
                assertEquals(completeLines(whole, "\"type\":\"interval\""), res.intervals(), "prefix " + len);
                assertEquals(len >= all.length - 1, res.complete(), "prefix " + len); // the end record needs no newline
            } catch (IOException e) {
                assertTrue(len < headerEnd, "prefix " + len + " past the header failed: " + e.getMessage());
                assertFalse(e.getMessage().contains("Exception"), e.getMessage());
            }
            FuzzInvariants.check(agg);
        }
    }

    @Test
    void hugeLinesAreSkippedOrRefusedInOneLine(@TempDir Path tmp) throws IOException {
        byte[] huge = new byte[9 << 20];
        Arrays.fill(huge, (byte) 'A');
        Path perf = tmp.resolve("huge.perf.txt");
        byte[] event = Files.readAllBytes(CliRunner.project(DIR + "perf-ansi-osc.txt"));
        Files.write(perf, concat(event, huge, "\n".getBytes(StandardCharsets.US_ASCII), event));
        CliRunner.Result r = CliRunner.run("report", perf.toString());
        check(r, 0);
        assertTrue(r.stdout().startsWith("droptop report") && r.stdout().contains("2 drops"), r.stdout());

        byte[] cap = Files.readAllBytes(CliRunner.project("samples/captures/closed-port-and-nft-udp.perf.jsonl"));
        int headerEnd = indexOf(cap, (byte) '\n', 0) + 1;
        Path c = tmp.resolve("huge.jsonl");
        Files.write(c, concat(Arrays.copyOf(cap, headerEnd), huge, "\n".getBytes(StandardCharsets.US_ASCII)));
        r = CliRunner.run("report", c.toString());
        check(r, 2);
        assertTrue(r.stderr().contains("huge.jsonl:2: "), r.stderr());
    }

    @Test
    void randomNoiseIsRefusedOrSkipped(@TempDir Path tmp) throws IOException {
        Random rnd = new Random(8);
        for (int i = 0; i < 20; i++) {
            byte[] b = new byte[1 + rnd.nextInt(20_000)];
            rnd.nextBytes(b);
            if (i % 2 == 1) {
                // noise after a valid first line, so the format is recognised and the parser sees the noise
                b = concat(Files.readAllBytes(CliRunner.project(DIR + "tracefs-ansi-osc.txt")), b);
            }
            Path p = tmp.resolve("noise" + i);
            Files.write(p, b);
            CliRunner.Result r = CliRunner.run("report", p.toString());
            check(r, -1);
            assertTrue(r.code() == 0 || r.code() == 2, r.stderr());
        }
    }

    /** Exit code as expected (-1: 0 or 2), a single-line error, no stack trace, no terminal control bytes. */
    private static void check(CliRunner.Result r, int exit) {
        if (exit >= 0) {
            assertEquals(exit, r.code(), r.stderr());
        }
        if (r.code() != 0) {
            assertEquals(1, r.stderr().strip().split("\n").length, r.stderr());
            assertTrue(r.stderr().startsWith("droptop: "), r.stderr());
        }
        assertFalse(r.stderr().contains("Exception") || r.stderr().contains("\tat "), r.stderr());
        for (String s : new String[] {r.stdout(), r.stderr()}) {
            try {
                FuzzInvariants.clean(s);
            } catch (AssertionError e) {
                fail(e.getMessage() + ":\n" + s);
            }
        }
    }

    private static long completeLines(byte[] b, String marker) {
        String s = new String(b, StandardCharsets.UTF_8);
        int lastNl = s.lastIndexOf('\n');
        if (lastNl < 0) {
            return 0;
        }
        return s.substring(0, lastNl).lines().filter(l -> l.contains(marker)).count();
    }

    private static int indexOf(byte[] b, byte x, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == x) {
                return i;
            }
        }
        return -1;
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
