package dev.droptop.parse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.droptop.model.DropAggregator;
import dev.droptop.testing.FuzzInvariants;

/**
 * Fuzz test of the perf ring decoder of the perf-native backend.
 * One target per class, so that {@code mvn verify} can fuzz each in its own JVM (Jazzer fuzzes one
 * target per JVM). Regression inputs, run by every build:
 * {@code src/test/resources/dev/droptop/parse/PerfRingFuzzTestInputs/perfRing/}; see {@link ParserFuzzing}.
 */
class PerfRingFuzzTest {
    /** What the perf-native backend feeds from the kernel ring: any bytes, never past {@code len}. */
    @FuzzTest(maxDuration = "60s")
    void perfRing(byte[] data) {
        PerfRingDecoder decoder = new PerfRingDecoder(Fixtures.RESOLVER, ParserFuzzing.LAYOUT,
                PerfAttr.TIME | PerfAttr.CPU | PerfAttr.CALLCHAIN | PerfAttr.RAW);
        DropAggregator agg = new DropAggregator(ParserFuzzing.SECOND);
        int used = decoder.decode(data, data.length, agg);
        if (used < 0 || used > data.length) {
            throw new AssertionError("decode used " + used + " of " + data.length + " bytes");
        }
        FuzzInvariants.check(agg, decoder.drops());
    }
}
