package dev.droptop.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.droptop.model.Profile;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The 13 perf script inputs of FlameGraph's own tests ({@code src/test/resources/flamegraph/}, origin
 * in the README there), read as {@code profile --input} reads them, against the numbers of
 * FlameGraph's {@code stackcollapse-perf.pl} (commit 41fee1f99f92, run outside this repository):
 * <pre>
 * weight  = sum of the counts of: perl stackcollapse-perf.pl --event-filter=EVENT FILE
 *           (the script weights each stack by the sample's period, 1 when the header has none)
 * samples = the same on a copy of FILE with every header's period replaced by 1:
 *           perl -pe 'if (!/^#/ &amp;&amp; !/^\s/ &amp;&amp; /^(\S.+?)\s+(\d+)\/*(\d+)*\s+/) { s/:\s*(\d+)\s+(\S+):(\s*)$/: 1 $2:$3/ }'
 * </pre>
 * (without --event-filter for the files whose headers the script finds no event in: it then takes
 * every sample). The one documented exception: six files end without a blank line after their last
 * sample; stackcollapse-perf.pl stores a sample only when it reaches a blank line, so it drops that
 * last, complete sample (its stack ends at the same roots as the file's other samples). perf report
 * counts every sample, and so does droptop: there it counts one more, and the test checks both the
 * reason (no blank line at the end) and that stackcollapse-perf.pl with a blank line appended agrees.
 */
class FlameGraphInputsTest {
    /** One file and event: droptop's expected numbers and stackcollapse-perf.pl's, as recorded. */
    record Case(String file, String event, long samples, long weight, long scSamples, long scWeight,
                boolean lastSampleUnterminated, Map<String, Long> others) {
        @Override
        public String toString() {
            return file + " " + event;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("perf-cycles-instructions-01.txt", null, 333, 333, 333, 333, false, Map.of("cycles", 111L)),
                new Case("perf-cycles-instructions-01.txt", "instructions", 333, 333, 333, 333, false,
                        Map.of("cycles", 111L)),
                new Case("perf-cycles-instructions-01.txt", "cycles", 111, 111, 111, 111, false,
                        Map.of("instructions", 333L)),
                new Case("perf-dd-stacks-01.txt", null, 11, 111111110, 10, 101010100, true, Map.of()),
                new Case("perf-funcab-cmd-01.txt", null, 169, 169, 169, 169, false, Map.of()),
                new Case("perf-funcab-pid-01.txt", null, 228, 228, 228, 228, false, Map.of()),
                new Case("perf-iperf-stacks-pidtid-01.txt", null, 201, 201, 200, 200, true, Map.of()),
                new Case("perf-java-faults-01.txt", null, 23, 200, 23, 200, false, Map.of()),
                new Case("perf-java-stacks-01.txt", null, 46, 46, 45, 45, true, Map.of()),
                new Case("perf-java-stacks-02.txt", null, 2, 2, 2, 2, false, Map.of()),
                new Case("perf-js-stacks-01.txt", null, 2, 2, 2, 2, false, Map.of()),
                new Case("perf-mirageos-stacks-01.txt", null, 53, 53, 52, 52, true, Map.of()),
                new Case("perf-numa-stacks-01.txt", null, 200, 200, 199, 199, true, Map.of()),
                new Case("perf-rust-Yamakaky-dcpu.txt", null, 58, 6850637, 58, 6850637, false, Map.of()),
                new Case("perf-vertx-stacks-01.txt", null, 286, 286, 285, 285, true, Map.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void totalsAgreeWithStackcollapsePerf(Case c) throws IOException {
        byte[] text = read(c.file());
        Profile p = new Profile();
        PerfSampleParser parser = new PerfSampleParser(c.event());
        parser.parse(new ByteArrayInputStream(text), p);

        long missedByStackcollapse = c.lastSampleUnterminated() ? 1 : 0;
        assertEquals(endsWithoutBlankLine(text), c.lastSampleUnterminated(), "the documented exception's reason");
        assertEquals(c.scSamples() + missedByStackcollapse, p.total(), "samples vs stackcollapse-perf.pl");
        assertEquals(c.samples(), p.total());
        assertEquals(c.samples(), parser.samples());
        assertEquals(0, p.unstacked(), "every sample of these files has a call chain");

        long lastPeriod = lastPeriod(text, parser.event());
        assertEquals(c.scWeight() + missedByStackcollapse * lastPeriod, p.totalWeight(), "weight vs stackcollapse-perf.pl");
        assertEquals(c.weight(), p.totalWeight());
        assertEquals(sumOfPeriods(text, parser.event()), p.totalWeight(), "weight = sum of the periods in the file");

        long[] sum = new long[2];
        p.forEachStack((frames, n) -> sum[0] += n);
        p.forEachStackWeight((frames, w) -> sum[1] += w);
        assertEquals(p.total(), sum[0]);
        assertEquals(p.totalWeight(), sum[1]);
        assertEquals(c.others(), p.otherEvents());
        assertEquals(hasPeriods(text), p.weighted(), "weighted exactly when the headers give periods");
        assertNotNull(parser.event());
        if (c.event() != null) {
            assertEquals(c.event(), p.event());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void stacksNameFunctionsWithoutOffsetsOrObjects(Case c) throws IOException {
        Profile p = new Profile();
        new PerfSampleParser(c.event()).parse(new ByteArrayInputStream(read(c.file())), p);
        p.forEachStack((frames, n) -> {
            for (String f : frames) {
                assertTrue(!f.isEmpty() && !f.matches(".*\\+0x[0-9a-f]+$") && !f.endsWith(".so)")
                        && !f.startsWith("\t") && !f.startsWith(" "), c.file() + ": frame '" + f + "'");
            }
        });
    }

    @org.junit.jupiter.api.Test
    void theOldFormatKeepsItsUnindentedFrames() throws IOException {
        Profile p = new Profile();
        new PerfSampleParser().parse(new ByteArrayInputStream(read("perf-java-stacks-02.txt")), p);
        assertEquals("cycles", p.event());
        assertTrue(!p.weighted());
        List<String[]> stacks = new java.util.ArrayList<>();
        p.forEachStack((frames, n) -> stacks.add(frames));
        String[] first = stacks.stream().filter(f -> f[0].equals("native_write_msr_safe")).findFirst().orElseThrow();
        assertEquals("start_thread", first[first.length - 1]);
        assertTrue(List.of(first).contains("Ljava/io/PrintStream;::print"), String.join(";", first));
        assertTrue(List.of(first).contains("arrayOopDesc::base(BasicType) const"), String.join(";", first));
    }

    @org.junit.jupiter.api.Test
    void unknownFramesOfAKnownObjectAreNamedAfterIt() throws IOException {
        Profile p = new Profile();
        new PerfSampleParser().parse(new ByteArrayInputStream(read("perf-iperf-stacks-pidtid-01.txt")), p);
        Map<String, Long> roots = new LinkedHashMap<>();
        p.forEachStack((frames, n) -> {
            for (String f : frames) {
                roots.merge(f, n, Long::sum);
            }
        });
        assertTrue(roots.containsKey("[iperf]"), roots.keySet().toString());
        assertTrue(roots.containsKey("[unknown]"), roots.keySet().toString());
    }

    private static byte[] read(String name) throws IOException {
        try (InputStream in = FlameGraphInputsTest.class.getResourceAsStream("/flamegraph/" + name)) {
            assertNotNull(in, name);
            return in.readAllBytes();
        }
    }

    private static boolean endsWithoutBlankLine(byte[] b) {
        String s = new String(b, StandardCharsets.UTF_8);
        return !s.endsWith("\n\n");
    }

    // An independent reading of the sample headers, by regex (tests only): COMM PID ... [PERIOD] EVENT:
    private static final Pattern HEADER = Pattern.compile("^\\S.*?\\s+\\d+(?:/\\d+)?\\s.*?(\\S+):\\s*$");
    private static final Pattern PERIOD = Pattern.compile("\\d+\\.\\d+:\\s+(\\d+)\\s+\\S+:\\s*$");

    private static long sumOfPeriods(byte[] text, String event) {
        long sum = 0;
        for (long[] h : headers(text, event)) {
            sum += h[0];
        }
        return sum;
    }

    private static long lastPeriod(byte[] text, String event) {
        List<long[]> h = headers(text, event);
        return h.get(h.size() - 1)[0];
    }

    private static boolean hasPeriods(byte[] text) {
        for (String line : new String(text, StandardCharsets.UTF_8).split("\n")) {
            if (!line.startsWith("#") && PERIOD.matcher(line).find()) {
                return true;
            }
        }
        return false;
    }

    private static List<long[]> headers(byte[] text, String event) {
        List<long[]> out = new java.util.ArrayList<>();
        for (String line : new String(text, StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("#") || line.isBlank() || Character.isWhitespace(line.charAt(0))
                    || line.matches("^[0-9a-f]+ .*\\)\\s*$")) {
                continue;
            }
            Matcher m = HEADER.matcher(line);
            assertTrue(m.find(), "not a header: " + line);
            if (m.group(1).equals(event)) {
                Matcher per = PERIOD.matcher(line);
                out.add(new long[] {per.find() ? Long.parseLong(per.group(1)) : 1});
            }
        }
        return out;
    }
}
