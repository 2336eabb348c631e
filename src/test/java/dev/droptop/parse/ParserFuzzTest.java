package dev.droptop.parse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.droptop.capture.CaptureReader;
import dev.droptop.model.DropAggregator;
import dev.droptop.testing.FuzzInvariants;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Fuzz tests of every trace parser and the format detector. In a normal build they run in Jazzer's
 * regression mode over {@code src/test/resources/dev/droptop/parse/ParserFuzzTestInputs/<method>/};
 * {@code JAZZER_FUZZ=1 mvn test -Dtest=ParserFuzzTest#perfScript -Djazzer.max_duration=60s} fuzzes one
 * target for real (see README, SECURITY). Bytes in, drops into an aggregator; no exception escapes
 * (the parsers count odd input as warnings) and {@link FuzzInvariants} hold.
 */
class ParserFuzzTest {
    private static final long SECOND = 1_000_000_000L;

    @FuzzTest(maxDuration = "60s")
    void perfScript(byte[] data) throws IOException {
        run(new PerfScriptParser(Fixtures.RESOLVER), data);
    }

    @FuzzTest(maxDuration = "60s")
    void tracefs(byte[] data) throws IOException {
        run(new TracefsParser(Fixtures.RESOLVER, Fixtures.REASONS), data);
    }

    @FuzzTest(maxDuration = "60s")
    void dropwatch(byte[] data) throws IOException {
        run(new DropwatchParser(Fixtures.RESOLVER, Fixtures.REASONS), data);
    }

    @FuzzTest(maxDuration = "60s")
    void bpftrace(byte[] data) throws IOException {
        run(new BpftraceParser(Fixtures.RESOLVER, Fixtures.REASONS), data);
    }

    /** The detector, then whichever parser it picked, over the replayed stream. */
    @FuzzTest(maxDuration = "60s")
    void formatGuess(byte[] data) throws IOException {
        FormatGuess.Guess g = FormatGuess.guess(new ByteArrayInputStream(data));
        if (g.format() == TraceFormat.CAPTURE) {
            DropAggregator agg = new DropAggregator(SECOND);
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
            run(parser, g.replay());
        }
    }

    private static void run(TraceParser parser, byte[] data) throws IOException {
        run(parser, new ByteArrayInputStream(data));
    }

    private static void run(TraceParser parser, InputStream in) throws IOException {
        DropAggregator agg = new DropAggregator(SECOND);
        parser.parse(in, agg);
        FuzzInvariants.check(agg, parser.drops());
    }
}
