package dev.droptop.cli;

import dev.droptop.run.LabSession;
import dev.droptop.run.UserError;
import dev.droptop.source.Backend;
import picocli.CommandLine.Option;

/** {@code --flows} of {@code lab nat} and {@code lab run}: which flows the dropped packets belonged to. */
final class LabFlowOptions {
    @Option(names = "--flows", description = "also count the drops per flow (5-tuple) in the kernel and list the top"
            + " flows per drop point (bpftrace backend; the screen's call graph is then empty)")
    boolean flows;

    @Option(names = "--flow-cap", paramLabel = "N", description = "distinct flows counted per scenario; later ones"
            + " are counted as other flows (default " + Backend.Packets.DEFAULT_FLOW_CAP + ")")
    Integer flowCap;

    /** {@code lab} settings with these options, checked. */
    LabSession.Settings apply(LabSession.Settings lab) {
        if (flowCap != null && !flows) {
            throw new UserError("--flow-cap caps the flows counted: add --flows");
        }
        int cap = flowCap == null ? Backend.Packets.DEFAULT_FLOW_CAP : flowCap;
        if (cap < 1 || cap > 1_000_000) {
            throw new UserError("--flow-cap must be 1-1000000, not " + cap);
        }
        return lab.withFlows(flows, cap);
    }
}
