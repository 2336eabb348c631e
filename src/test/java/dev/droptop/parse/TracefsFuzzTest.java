package dev.droptop.parse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;

/**
 * Fuzz test of tracefs trace_pipe text.
 * One target per class, so that {@code mvn verify} can fuzz each in its own JVM (Jazzer fuzzes one
 * target per JVM). Regression inputs, run by every build:
 * {@code src/test/resources/dev/droptop/parse/TracefsFuzzTestInputs/tracefs/}; see {@link ParserFuzzing}.
 */
class TracefsFuzzTest {
    @FuzzTest(maxDuration = "60s")
    void tracefs(byte[] data) throws IOException {
        ParserFuzzing.run(new TracefsParser(Fixtures.RESOLVER, Fixtures.REASONS), data);
    }
}
