package dev.droptop.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bounded per-key summary answers as the list of every sample did. */
class SystemStateTest {
    @Test
    void summaryKeepsFirstLatestPeakAndCount() {
        List<Map<String, Long>> samples = new ArrayList<>();
        samples.add(Map.of("ct", 5L, "drops", 100L));
        samples.add(Map.of());
        samples.add(null);
        samples.add(Map.of("ct", 9L, "drops", 130L, "late", 4L));
        samples.add(Map.of("ct", 7L, "drops", 120L));
        SystemState s = SystemState.fromCounters(samples);
        assertEquals(9, s.peak("ct"));
        assertEquals(7, s.latest("ct"));
        assertEquals(3, s.sampleCount("ct"));
        assertEquals(20, s.rise("drops"), "last minus first, not the peak");
        assertEquals(4, s.rise("late"), "one sample: its value");
        assertEquals(1, s.sampleCount("late"));
        assertFalse(s.has("absent"));
        assertEquals(-1, s.peak("absent"));
        assertEquals(-1, s.latest("absent"));
        assertEquals(0, s.rise("absent"));
        assertTrue(s.has("late"));
    }

    @Test
    void aDayOfSamplesKeepsOneSummaryPerKey() {
        Counters c = new Counters();
        for (long i = 0; i < 86_400; i++) {
            Map<String, Long> m = new HashMap<>();
            for (int k = 0; k < 30; k++) {
                m.put("conntrack.stat.c" + k, i * k);
            }
            c.add(m);
        }
        Map<String, Counters.Summary> summaries = c.summaries();
        assertEquals(30, summaries.size());
        assertEquals(new Counters.Summary(0, 86_399L * 29, 86_399L * 29, 86_400), summaries.get("conntrack.stat.c29"));
        Counters copy = c.copy();
        copy.add(Map.of("conntrack.stat.c1", 1L));
        assertEquals(86_399, c.state().latest("conntrack.stat.c1"), "a copy does not change the original");
        assertEquals(1, copy.state().latest("conntrack.stat.c1"));
    }
}
