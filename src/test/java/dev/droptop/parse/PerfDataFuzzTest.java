package dev.droptop.parse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.droptop.model.DropAggregator;
import dev.droptop.testing.FuzzInvariants;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Fuzz test of the native perf.data reader (file and pipe mode).
 * One target per class, so that {@code mvn verify} can fuzz each in its own JVM (Jazzer fuzzes one
 * target per JVM). Regression inputs, run by every build:
 * {@code src/test/resources/dev/droptop/parse/PerfDataFuzzTestInputs/perfData/}; see {@link ParserFuzzing}.
 */
class PerfDataFuzzTest {
    /**
     * The native perf.data reader, file and pipe mode. Seeds are real recordings ({@code perf 6.1},
     * this VM): {@code perf record -q -B -N --synth=no -e skb:kfree_skb --filter 'protocol == 34525' -a -g
     * -o OUT -- ip netns exec NS bash -c 'for i in 1 2 3; do (exec 3<>/dev/tcp/::1/9) 2>/dev/null; done;
     * sleep 0.2'} with {@code -o tcp6-closed-port.perf.data} and {@code -o -} (pipe mode).
     */
    @FuzzTest(maxDuration = "60s")
    void perfData(byte[] data) {
        PerfDataReader reader = new PerfDataReader(Fixtures.RESOLVER, ParserFuzzing.LAYOUT);
        DropAggregator agg = new DropAggregator(ParserFuzzing.SECOND);
        try {
            reader.parse(new ByteArrayInputStream(data), agg);
        } catch (IOException expected) {
            // the documented one-line error for what is not (or no longer) perf.data
        }
        FuzzInvariants.check(agg, reader.drops());
    }
}
