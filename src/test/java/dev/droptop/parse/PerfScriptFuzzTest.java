package dev.droptop.parse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;

/**
 * Fuzz test of perf script text (file and pipe mode).
 * One target per class, so that {@code mvn verify} can fuzz each in its own JVM (Jazzer fuzzes one
 * target per JVM). Regression inputs, run by every build:
 * {@code src/test/resources/dev/droptop/parse/PerfScriptFuzzTestInputs/perfScript/}; see {@link ParserFuzzing}.
 */
class PerfScriptFuzzTest {
    @FuzzTest(maxDuration = "60s")
    void perfScript(byte[] data) throws IOException {
        ParserFuzzing.run(new PerfScriptParser(Fixtures.RESOLVER), data);
    }
}
