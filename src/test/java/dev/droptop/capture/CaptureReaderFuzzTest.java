package dev.droptop.capture;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.droptop.model.DropAggregator;
import dev.droptop.testing.FuzzInvariants;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Fuzz test of the capture reader: any bytes either read (possibly with warnings) or fail with the
 * documented {@link IOException}; nothing else escapes, and what was fed to the aggregator before
 * the failure still satisfies {@link FuzzInvariants}. Regression inputs:
 * {@code src/test/resources/dev/droptop/capture/CaptureReaderFuzzTestInputs/read/}.
 */
class CaptureReaderFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void read(byte[] data) {
        DropAggregator agg = new DropAggregator(1_000_000_000L);
        try {
            CaptureReader.Result r = CaptureReader.read(new ByteArrayInputStream(data), "fuzz.jsonl",
                    h -> agg);
            if (r.total() < 0 || r.lost() < 0 || r.intervals() < 0 || r.stacks() < 0) {
                throw new AssertionError("negative count in result " + r);
            }
            if (r.header() != null) {
                FuzzInvariants.clean(dev.droptop.model.Sanitize.text(String.valueOf(r.header().command())));
            }
        } catch (IOException expected) {
            // documented: not a capture, malformed, newer version
        }
        FuzzInvariants.check(agg);
    }
}
