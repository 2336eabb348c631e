package dev.droptop.diagnose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.droptop.model.DropAggregator;
import dev.droptop.model.DropKey;
import dev.droptop.model.Flow;
import dev.droptop.model.StackTable;
import dev.droptop.model.SystemState;
import org.junit.jupiter.api.Test;

/** The conntrack-full finding names the flows of the hook drops when the source read packet headers. */
class FlowEvidenceTest {
    private static final long SEC = 1_000_000_000L;
    private static final DropKey HOOK = new DropKey("nf_hook_slow", 0x7d, "NETFILTER_DROP", 0x0800, 5, "n0");

    @Test
    void manySourcesToOneAddressAreInTheEvidence() {
        DropAggregator agg = new DropAggregator(SEC);
        agg.record(HOOK, StackTable.NO_STACK, 100, SEC);
        for (int i = 1; i <= 64; i++) {
            agg.flow(HOOK, new Flow("198.18.128." + i, "198.18.0.1", 10000 + i, 8080, 6), 1, SEC);
            agg.flow(HOOK, new Flow("198.18.128." + i, "198.18.0.1", 20000 + i, 8080, 6), 1, SEC);
        }
        agg.flow(HOOK, Flow.OTHER, 36, SEC);
        agg.intervalEnd(SEC);
        Finding f = Diagnoser.diagnose(agg.snapshot(), SystemState.none()).get(0);
        assertEquals("conntrack table full (likely)", f.summary());
        assertTrue(f.evidence().contains("128 of them in 128 flows from 64 sources to 198.18.0.1:8080 tcp"), f.evidence());
    }

    @Test
    void withoutFlowsTheEvidenceIsAsBefore() {
        DropAggregator agg = new DropAggregator(SEC);
        agg.record(HOOK, StackTable.NO_STACK, 100, SEC);
        agg.intervalEnd(SEC);
        Finding f = Diagnoser.diagnose(agg.snapshot(), SystemState.none()).get(0);
        assertFalse(f.evidence().contains("flows"), f.evidence());
    }
}
