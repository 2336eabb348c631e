package dev.droptop.lab;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A search in the spirit of CSIT's MLRsearch for the highest offered rate whose trial loses nothing
 * (NDR) and at most {@link #PDR_LOSS} (PDR). Pure and deterministic: it only decides which rate to try
 * next from the trials so far; a {@link Measurer} runs them (the lab, or a simulated system in tests).
 *
 * <p>The first trial offers the maximum rate (like CSIT's MRR). For each goal, the lower bound is the
 * highest rate whose loss met the goal below the upper bound, the lowest rate whose loss did not.
 * Without a lower bound the next rate is the forwarding rate of the failing trial (rate × (1 − loss)),
 * or a step below it that doubles each time (external search), never under the minimum; with both
 * bounds it tries a step above the lower bound that doubles with each pass (so an accurate forwarding
 * rate settles in one more trial), or the middle when that is nearer, until the bounds are at most
 * {@code precision} of the upper bound apart. Every trial
 * counts for both goals; NDR is searched first, then PDR. A passing trial above a failing one
 * (noise) does not raise a lower bound: the result stays conservative.
 */
public final class RateSearch {
    /** CSIT's partial drop rate goal: at most 0.5% loss. */
    public static final double PDR_LOSS = 0.005;

    /**
     * @param minRate the lowest rate to try; a goal that fails there has no rate
     * @param maxRate the first and highest rate
     * @param precision relative width at which a goal's interval is narrow enough (0.05 = 5%)
     * @param maxTrials at most this many trials (the search ends with what it has)
     */
    public record Config(double minRate, double maxRate, double precision, int maxTrials) {
        public Config {
            if (!(minRate > 0) || !(maxRate >= minRate) || Double.isInfinite(maxRate)) {
                throw new IllegalArgumentException("rates must satisfy 0 < min <= max, not " + minRate + ".." + maxRate);
            }
            if (!(precision > 0 && precision < 1)) {
                throw new IllegalArgumentException("precision must be between 0 and 1 (e.g. 0.05), not " + precision);
            }
            if (maxTrials < 1 || maxTrials > 1000) {
                throw new IllegalArgumentException("max trials must be 1..1000, not " + maxTrials);
            }
        }
    }

    /** One trial: the offered rate, its loss ratio (0..1) and whatever the measurer recorded. */
    public record Trial<T>(int n, double rate, double loss, T detail) {
    }

    /** Runs one trial at an offered rate. */
    @FunctionalInterface
    public interface Measurer<T> {
        Trial<T> measure(int n, double rate) throws IOException;
    }

    /**
     * A goal's outcome.
     *
     * @param rate the highest rate that met the goal (null: not even the minimum did)
     * @param upper the lowest rate that did not (null: the maximum met it)
     * @param limit the trial at {@code upper}, which says why the rate could not rise (null with upper)
     */
    public record Goal<T>(String name, double lossGoal, Double rate, Double upper, Trial<T> limit) {
        /** True when the interval is narrow enough, or pinned at the maximum or minimum. */
        boolean settled(Config c) {
            if (rate != null && rate >= c.maxRate()) {
                return true;
            }
            if (upper != null && upper <= c.minRate() && rate == null) {
                return true;
            }
            return rate != null && upper != null && upper - rate <= c.precision() * upper;
        }
    }

    /** The trials in order, both goals, and why the search ended. */
    public record Result<T>(List<Trial<T>> trials, Goal<T> ndr, Goal<T> pdr, String ended) {
    }

    private final Config config;

    public RateSearch(Config config) {
        this.config = config;
    }

    public Config config() {
        return config;
    }

    /** Searches with {@code m} until both goals settle, the trial budget is spent, or {@code stop} says so. */
    public <T> Result<T> run(Measurer<T> m, BooleanSupplier stop) throws IOException {
        List<Trial<T>> trials = new ArrayList<>();
        String ended = "both goals within precision";
        while (true) {
            Goal<T> ndr = goal("NDR", 0, trials);
            Goal<T> pdr = goal("PDR", PDR_LOSS, trials);
            boolean ndrDone = !trials.isEmpty() && ndr.settled(config);
            boolean pdrDone = !trials.isEmpty() && pdr.settled(config);
            if (ndrDone && pdrDone) {
                break;
            }
            if (trials.size() >= config.maxTrials()) {
                ended = "trial budget of " + config.maxTrials() + " spent";
                break;
            }
            if (stop.getAsBoolean()) {
                ended = "stopped";
                break;
            }
            double rate = trials.isEmpty() ? config.maxRate() : next(ndrDone ? pdr : ndr, trials);
            Trial<T> t = m.measure(trials.size() + 1, rate);
            if (t == null) {
                ended = "stopped";
                break;
            }
            trials.add(t);
        }
        return new Result<>(List.copyOf(trials), goal("NDR", 0, trials), goal("PDR", PDR_LOSS, trials), ended);
    }

    /** The bounds of the goal "loss at most {@code lossGoal}" from the trials so far. */
    static <T> Goal<T> goal(String name, double lossGoal, List<Trial<T>> trials) {
        Trial<T> fail = null;
        for (Trial<T> t : trials) {
            if (t.loss() > lossGoal && (fail == null || t.rate() < fail.rate())) {
                fail = t;
            }
        }
        Double lower = null;
        for (Trial<T> t : trials) {
            if (t.loss() <= lossGoal && (fail == null || t.rate() < fail.rate()) && (lower == null || t.rate() > lower)) {
                lower = t.rate();
            }
        }
        return new Goal<>(name, lossGoal, lower, fail == null ? null : fail.rate(), fail);
    }

    /** The next rate for an unsettled goal. */
    <T> double next(Goal<T> g, List<Trial<T>> trials) {
        if (g.upper() == null) {
            return config.maxRate(); // only reachable when the maximum was not tried: it is the first trial
        }
        if (g.rate() != null) {
            int passes = 0;
            for (Trial<T> t : trials) {
                if (t.loss() <= g.lossGoal() && t.rate() < g.upper()) {
                    passes++;
                }
            }
            double up = g.rate() * (1 + config.precision() * (1L << Math.min(20, passes)));
            double next = Math.min((g.rate() + g.upper()) / 2, up);
            return next > g.rate() + 1 ? round(next) : Math.ceil(next);
        }
        int failsWithoutLower = 0;
        for (Trial<T> t : trials) {
            if (t.loss() > g.lossGoal()) {
                failsWithoutLower++;
            }
        }
        Trial<T> f = g.limit();
        double forwarding = f.rate() * (1 - f.loss());
        double step = f.rate() * (1 - Math.min(0.9, config.precision() * (1L << Math.min(20, failsWithoutLower))));
        return round(Math.max(config.minRate(), Math.min(forwarding, step)));
    }

    /** Rates are whole per-second numbers (at least the minimum). */
    private double round(double r) {
        return Math.max(config.minRate(), Math.floor(r));
    }
}
