package dev.droptop.parse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.droptop.model.Profile;
import dev.droptop.model.Sanitize;
import dev.droptop.testing.FuzzInvariants;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Fuzz test of the CPU-profile parser of droptop profile.
 * One target per class, so that {@code mvn verify} can fuzz each in its own JVM (Jazzer fuzzes one
 * target per JVM). Regression inputs, run by every build:
 * {@code src/test/resources/dev/droptop/parse/PerfSamplesFuzzTestInputs/perfSamples/}; see {@link ParserFuzzing}.
 */
class PerfSamplesFuzzTest {
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
        if (sum[0] + profile.unstacked() != profile.total() || profile.total() != parser.samples()
                || parser.skipped() != profile.unstacked() || parser.weight() != profile.totalWeight()
                || parser.weight() < 0
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
}
