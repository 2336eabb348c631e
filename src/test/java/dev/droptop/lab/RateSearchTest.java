package dev.droptop.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/** The search against simulated systems: a loss curve (rate to loss ratio), deterministic. */
class RateSearchTest {
    private static final RateSearch.Config CONFIG = new RateSearch.Config(100, 100_000, 0.02, 40);

    /** Loses what is offered above the capacity (a device that forwards at most {@code c}). */
    private static DoubleUnaryOperator cliff(double c) {
        return r -> r <= c ? 0 : (r - c) / r;
    }

    private static RateSearch.Result<String> search(RateSearch.Config config, DoubleUnaryOperator loss) throws IOException {
        return new RateSearch(config).run((n, rate) -> new RateSearch.Trial<>(n, rate, loss.applyAsDouble(rate),
                "sim"), () -> false);
    }

    private static void within(double expected, Double found, double precision) {
        assertNotNull(found);
        assertTrue(found <= expected, found + " above the true " + expected);
        assertTrue(found >= expected * (1 - precision) - 1, found + " not within " + precision + " of " + expected);
    }

    @Test
    void knownCapacityIsFoundWithinPrecision() throws IOException {
        for (double c : new double[] {150, 777, 5_000, 12_345, 64_000, 99_000}) {
            RateSearch.Result<String> r = search(CONFIG, cliff(c));
            within(c, r.ndr().rate(), CONFIG.precision());
            within(c / (1 - RateSearch.PDR_LOSS), r.pdr().rate(), CONFIG.precision());
            assertEquals("both goals within precision", r.ended(), "capacity " + c);
            assertTrue(r.trials().size() <= 15, r.trials().size() + " trials for " + c);
            assertEquals(CONFIG.maxRate(), r.trials().get(0).rate());
            assertTrue(r.ndr().limit().loss() > 0);
        }
    }

    @Test
    void gradualLossPutsPdrAboveNdr() throws IOException {
        // no loss up to 10k, then 0.1% more loss per 1% more rate
        DoubleUnaryOperator ramp = r -> r <= 10_000 ? 0 : Math.min(1, 0.1 * (r - 10_000) / 10_000);
        RateSearch.Result<String> r = search(CONFIG, ramp);
        within(10_000, r.ndr().rate(), CONFIG.precision());
        within(10_500, r.pdr().rate(), CONFIG.precision());
        assertTrue(r.pdr().rate() > r.ndr().rate());
    }

    @Test
    void constantSmallLossHasNoNdrButAPdr() throws IOException {
        RateSearch.Result<String> r = search(CONFIG, cliff(20_000).andThen(l -> l + 0.001));
        assertNull(r.ndr().rate(), "0.1% loss everywhere: not even the minimum loses nothing");
        assertEquals(CONFIG.minRate(), r.ndr().upper());
        within(20_000 / (1 - 0.004), r.pdr().rate(), CONFIG.precision());
    }

    @Test
    void collapseAboveATableLimitIsFoundAndTheLimitTrialShowsIt() throws IOException {
        // conntrack full: above 4000/s most sessions fail
        RateSearch.Result<String> r = search(CONFIG, rate -> rate <= 4_000 ? 0 : 0.8);
        within(4_000, r.ndr().rate(), CONFIG.precision());
        within(4_000, r.pdr().rate(), CONFIG.precision());
        assertEquals(0.8, r.pdr().limit().loss());
        assertTrue(r.pdr().upper() > r.pdr().rate());
    }

    @Test
    void boundsAtTheMaximumAndTheMinimum() throws IOException {
        RateSearch.Result<String> fast = search(CONFIG, cliff(1e9));
        assertEquals(CONFIG.maxRate(), fast.ndr().rate());
        assertNull(fast.ndr().upper());
        assertNull(fast.pdr().limit());
        assertEquals(1, fast.trials().size());
        RateSearch.Result<String> dead = search(CONFIG, rate -> 1.0);
        assertNull(dead.ndr().rate());
        assertNull(dead.pdr().rate());
        assertEquals(CONFIG.minRate(), dead.trials().get(dead.trials().size() - 1).rate());
        for (RateSearch.Trial<String> t : dead.trials()) {
            assertTrue(t.rate() >= CONFIG.minRate() && t.rate() <= CONFIG.maxRate(), t.toString());
        }
    }

    @Test
    void trialBudgetAndStopEndTheSearch() throws IOException {
        RateSearch.Config tight = new RateSearch.Config(1, 1e6, 0.0001, 5);
        RateSearch.Result<String> r = search(tight, cliff(3333));
        assertEquals(5, r.trials().size());
        assertEquals("trial budget of 5 spent", r.ended());
        List<Double> rates = new ArrayList<>();
        RateSearch.Result<String> stopped = new RateSearch(CONFIG).run((n, rate) -> {
            rates.add(rate);
            return new RateSearch.Trial<>(n, rate, cliff(3333).applyAsDouble(rate), "");
        }, () -> rates.size() >= 2);
        assertEquals("stopped", stopped.ended());
        assertEquals(2, stopped.trials().size());
    }

    @Test
    void noiseDoesNotRaiseALowerBoundAboveAFailureAndTheSearchIsDeterministic() throws IOException {
        Random random = new Random(42);
        double[] noise = new double[64];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = random.nextDouble() < 0.2 ? 0.01 : 0;
        }
        DoubleUnaryOperator noisy = new DoubleUnaryOperator() {
            private int i;

            @Override
            public double applyAsDouble(double rate) {
                return Math.min(1, cliff(30_000).applyAsDouble(rate) + noise[i++ % noise.length]);
            }
        };
        RateSearch.Result<String> a = search(CONFIG, noisy);
        for (RateSearch.Trial<String> t : a.trials()) {
            if (t.loss() > 0) {
                assertTrue(a.ndr().rate() == null || a.ndr().rate() < t.rate(), t + " vs NDR " + a.ndr().rate());
            }
        }
        RateSearch.Result<String> b = search(CONFIG, noisy);
        assertTrue(b.trials().size() > 0);
        RateSearch.Result<String> c1 = search(CONFIG, cliff(12_345));
        RateSearch.Result<String> c2 = search(CONFIG, cliff(12_345));
        assertEquals(c1, c2);
    }

    @Test
    void badConfigsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RateSearch.Config(0, 10, 0.05, 10));
        assertThrows(IllegalArgumentException.class, () -> new RateSearch.Config(10, 5, 0.05, 10));
        assertThrows(IllegalArgumentException.class, () -> new RateSearch.Config(1, 10, 0, 10));
        assertThrows(IllegalArgumentException.class, () -> new RateSearch.Config(1, 10, 0.05, 0));
    }
}
