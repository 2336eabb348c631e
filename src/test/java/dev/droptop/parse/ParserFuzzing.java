package dev.droptop.parse;

import dev.droptop.model.DropAggregator;
import dev.droptop.model.TracepointLayout;
import dev.droptop.testing.FuzzInvariants;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * What the parser fuzz tests ({@code *FuzzTest} in this package, one target each) share: bytes in, drops
 * into an aggregator; no exception escapes (the parsers count odd input as warnings) and
 * {@link FuzzInvariants} hold. In a normal build each target runs in Jazzer's regression mode over its
 * inputs directory; {@code mvn verify} then fuzzes every target for real for {@code droptop.fuzz.duration}
 * (60 s), and {@code JAZZER_FUZZ=1 mvn test -Dtest=PerfScriptFuzzTest -Djazzer.max_duration=10m} fuzzes one
 * target longer (README, SECURITY). A crash is written into the target's inputs directory and becomes
 * a regression input.
 */
final class ParserFuzzing {
    static final long SECOND = 1_000_000_000L;
    static final TracepointLayout LAYOUT = TracepointLayout.kernel6(Fixtures.REASONS);

    private ParserFuzzing() {
    }

    static void run(TraceParser parser, byte[] data) throws IOException {
        run(parser, new ByteArrayInputStream(data));
    }

    static void run(TraceParser parser, InputStream in) throws IOException {
        DropAggregator agg = new DropAggregator(SECOND);
        parser.parse(in, agg);
        FuzzInvariants.check(agg, parser.drops());
    }
}
