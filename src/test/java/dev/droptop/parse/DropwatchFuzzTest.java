package dev.droptop.parse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;

/**
 * Fuzz test of SystemTap dropwatch output.
 * One target per class, so that {@code mvn verify} can fuzz each in its own JVM (Jazzer fuzzes one
 * target per JVM). Regression inputs, run by every build:
 * {@code src/test/resources/dev/droptop/parse/DropwatchFuzzTestInputs/dropwatch/}; see {@link ParserFuzzing}.
 */
class DropwatchFuzzTest {
    @FuzzTest(maxDuration = "60s")
    void dropwatch(byte[] data) throws IOException {
        ParserFuzzing.run(new DropwatchParser(Fixtures.RESOLVER, Fixtures.REASONS), data);
    }
}
