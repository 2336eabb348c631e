package dev.droptop.parse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.droptop.capture.CaptureReader;
import dev.droptop.model.DropAggregator;
import dev.droptop.testing.FuzzInvariants;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Fuzz test of the format detector, then the parser it picks.
 * One target per class, so that {@code mvn verify} can fuzz each in its own JVM (Jazzer fuzzes one
 * target per JVM). Regression inputs, run by every build:
 * {@code src/test/resources/dev/droptop/parse/FormatGuessFuzzTestInputs/formatGuess/}; see {@link ParserFuzzing}.
 */
class FormatGuessFuzzTest {
    /** The detector, then whichever parser it picked, over the replayed stream. */
    @FuzzTest(maxDuration = "60s")
    void formatGuess(byte[] data) throws IOException {
        FormatGuess.Guess g = FormatGuess.guess(new ByteArrayInputStream(data));
        if (g.format() == TraceFormat.CAPTURE) {
            DropAggregator agg = new DropAggregator(ParserFuzzing.SECOND);
            try {
                CaptureReader.read(g.replay(), "fuzz", agg);
            } catch (IOException expected) {
                // the documented error for a malformed capture
            }
            FuzzInvariants.check(agg);
            return;
        }
        TraceParser parser = switch (g.format()) {
            case PERF_SCRIPT -> new PerfScriptParser(Fixtures.RESOLVER);
            case TRACEFS -> new TracefsParser(Fixtures.RESOLVER, Fixtures.REASONS);
            case STAP -> new DropwatchParser(Fixtures.RESOLVER, Fixtures.REASONS);
            case BPFTRACE -> new BpftraceParser(Fixtures.RESOLVER, Fixtures.REASONS);
            default -> null;
        };
        if (parser != null) {
            ParserFuzzing.run(parser, g.replay());
        }
    }
}
