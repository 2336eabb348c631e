package dev.droptop.parse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;

/**
 * Fuzz test of bpftrace output (our probes and generic maps).
 * One target per class, so that {@code mvn verify} can fuzz each in its own JVM (Jazzer fuzzes one
 * target per JVM). Regression inputs, run by every build:
 * {@code src/test/resources/dev/droptop/parse/BpftraceFuzzTestInputs/bpftrace/}; see {@link ParserFuzzing}.
 */
class BpftraceFuzzTest {
    @FuzzTest(maxDuration = "60s")
    void bpftrace(byte[] data) throws IOException {
        ParserFuzzing.run(new BpftraceParser(Fixtures.RESOLVER, Fixtures.REASONS), data);
    }
}
