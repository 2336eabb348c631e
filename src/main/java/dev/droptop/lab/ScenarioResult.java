package dev.droptop.lab;

import dev.droptop.model.Snapshot;
import dev.droptop.model.SystemState;
import java.util.List;
import java.util.Map;

/**
 * One scenario's outcome: the load's figures, the drops captured meanwhile (whole system, default
 * backend) and the nat namespace's conntrack samples.
 *
 * @param backend the capture backend, or "none" when capture was off
 * @param served sessions the server saw (accepted or answered)
 */
public record ScenarioResult(Scenario scenario, LoadResult load, Snapshot drops, List<Map<String, Long>> conntrack,
        String backend, long served) {

    public SystemState system() {
        return SystemState.fromCounters(conntrack);
    }

    public long conntrackPeak() {
        return system().peak(SystemState.CT_COUNT);
    }

    public long conntrackMax() {
        return system().latest(SystemState.CT_MAX);
    }

    /** Rise of conntrack's {@code drop} stat column during the load (in the nat namespace). */
    public long conntrackDrops() {
        return system().rise(SystemState.CT_STAT + "drop");
    }
}
