package dev.droptop.run;

import dev.droptop.lab.Scenario;
import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code lab search}'s options as typed: the scenario name, the trial duration, the search's bounds and
 * precision, whether to search the ip4base twin, the plot file (null: none), and the lab options.
 * {@link #check} turns them into the scenario and {@link LabSession.SearchSettings}; a bad value is one
 * {@link UserError}.
 */
public record LabSearchArgs(String name, String trialDuration, double precision, double minRate, Double maxRate,
                            int maxTrials, boolean twin, String plot, LabArgs lab) {
    /** Sessions open at once unless --in-flight says otherwise: a search offers rates far above lab nat's. */
    static final int DEFAULT_IN_FLIGHT = 5_000;

    /** A checked search: what to search, and how. */
    record Checked(Scenario scenario, LabSession.SearchSettings settings) {
    }

    Checked check() throws IOException {
        Scenario s;
        try {
            s = Scenario.parse(name);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        if (!s.nat()) {
            throw new UserError("search a nat44ed test; its ip4base twin is searched beside it");
        }
        long d = Durations.parse(trialDuration, "--trial-duration");
        if (d < 500_000_000L || d > 60_000_000_000L) {
            throw new UserError("--trial-duration must be between 0.5s and 60s");
        }
        double max = maxRate != null ? maxRate : s.profile().tput() ? 100_000 : 30_000;
        if (!(max <= 1_000_000)) {
            throw new UserError("--max-rate must be at most 1000000");
        }
        LabSession.Settings settings = lab.settings(DEFAULT_IN_FLIGHT);
        return new Checked(s, new LabSession.SearchSettings(settings, minRate, max, precision, maxTrials, d, twin,
                plot == null ? null : OutputPath.check(Path.of(plot))));
    }
}
