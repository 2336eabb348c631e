package dev.droptop.parse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.droptop.capture.CaptureReader;
import dev.droptop.model.DropAggregator;
import dev.droptop.model.Profile;
import dev.droptop.model.Sanitize;
import dev.droptop.model.TracepointLayout;
import dev.droptop.testing.FuzzInvariants;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Fuzz tests of every trace parser (text and binary, drops and CPU samples) and the format detector. In a normal build they run in Jazzer's
 * regression mode over {@code src/test/resources/dev/droptop/parse/ParserFuzzTestInputs/<method>/};
 * {@code JAZZER_FUZZ=1 mvn test -Dtest=ParserFuzzTest#perfScript -Djazzer.max_duration=60s} fuzzes one
 * target for real (see README, SECURITY). Bytes in, drops into an aggregator; no exception escapes
 * (the parsers count odd input as warnings) and {@link FuzzInvariants} hold.
 */
class ParserFuzzTest {
    private static final long SECOND = 1_000_000_000L;
    private static final TracepointLayout LAYOUT = TracepointLayout.kernel6(Fixtures.REASONS);

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

    /**
     * The native perf.data reader, file and pipe mode. Seeds are real recordings ({@code perf 6.1},
     * this VM): {@code perf record -q -B -N --synth=no -e skb:kfree_skb --filter 'protocol == 34525' -a -g
     * -o OUT -- ip netns exec NS bash -c 'for i in 1 2 3; do (exec 3<>/dev/tcp/::1/9) 2>/dev/null; done;
     * sleep 0.2'} with {@code -o tcp6-closed-port.perf.data} and {@code -o -} (pipe mode).
     */
    @FuzzTest(maxDuration = "60s")
    void perfData(byte[] data) {
        PerfDataReader reader = new PerfDataReader(Fixtures.RESOLVER, LAYOUT);
        DropAggregator agg = new DropAggregator(SECOND);
        try {
            reader.parse(new ByteArrayInputStream(data), agg);
        } catch (IOException expected) {
            // the documented one-line error for what is not (or no longer) perf.data
        }
        FuzzInvariants.check(agg, reader.drops());
    }

    /** What the perf-native backend feeds from the kernel ring: any bytes, never past {@code len}. */
    @FuzzTest(maxDuration = "60s")
    void perfRing(byte[] data) {
        PerfRingDecoder decoder = new PerfRingDecoder(Fixtures.RESOLVER, LAYOUT,
                PerfAttr.TIME | PerfAttr.CPU | PerfAttr.CALLCHAIN | PerfAttr.RAW);
        DropAggregator agg = new DropAggregator(SECOND);
        int used = decoder.decode(data, data.length, agg);
        if (used < 0 || used > data.length) {
            throw new AssertionError("decode used " + used + " of " + data.length + " bytes");
        }
        FuzzInvariants.check(agg, decoder.drops());
    }

    /** The CPU profile parser of {@code droptop profile} (perf script text of cpu-clock samples). */
    @FuzzTest(maxDuration = "60s")
    void perfSamples(byte[] data) throws IOException {
        Profile profile = new Profile();
        PerfSampleParser parser = new PerfSampleParser();
        parser.parse(new ByteArrayInputStream(data), profile);
        long[] sum = new long[1];
        profile.forEachStack((frames, n) -> {
            if (n <= 0 || frames.length == 0) {
                throw new AssertionError("stack of " + frames.length + " frames with count " + n);
            }
            for (String f : frames) {
                FuzzInvariants.clean(Sanitize.text(f));
            }
            sum[0] += n;
        });
        if (sum[0] != profile.total() || parser.samples() < 0 || parser.skipped() < 0
                || !(profile.durationSeconds() >= 0)) {
            throw new AssertionError("profile does not add up: " + sum[0] + " vs " + profile.total()
                    + ", duration " + profile.durationSeconds());
        }
        for (Profile.SymbolCount c : profile.top(f -> true, 5)) {
            Profile.Focus focus = profile.focus(c.symbol());
            if (focus.total() != c.total() || focus.self() != c.self()) {
                throw new AssertionError("focus of " + c.symbol() + " disagrees with top: " + focus + " " + c);
            }
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
