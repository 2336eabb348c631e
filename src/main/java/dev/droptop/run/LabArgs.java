package dev.droptop.run;

import dev.droptop.source.Backend;

/**
 * The options every lab scenario run shares, as typed ({@code lab nat}, {@code run}, {@code search}):
 * {@link #settings} checks them into {@link LabSession.Settings}; a bad value is one {@link UserError}.
 *
 * @param inFlight sessions open at once, -1 for the command's default
 * @param conntrackMax the global nf_conntrack_max for the run, null to leave it
 * @param flowCap distinct flows counted with {@code flows}, null for the default
 */
public record LabArgs(String duration, Long conntrackMax, int inFlight, String timeout, int outside, boolean capture,
                      boolean tui, String format, boolean flows, Integer flowCap) {
    private static final long MAX_DURATION = 120_000_000_000L;

    /** The options checked; {@code defaultInFlight} when --in-flight was not given. */
    LabSession.Settings settings(int defaultInFlight) {
        if (!format.equals("text") && !format.equals("json")) {
            throw new UserError("--format must be text or json, not " + format);
        }
        long d = Durations.parse(duration, "--duration");
        if (d <= 0 || d > MAX_DURATION) {
            throw new UserError("--duration must be more than 0 and at most 120s");
        }
        long t = Durations.parse(timeout, "--timeout");
        if (t < 10_000_000L || t > 30_000_000_000L) {
            throw new UserError("--timeout must be between 10ms and 30s");
        }
        int n = inFlight == -1 ? defaultInFlight : inFlight;
        if (n < 1 || n > 20_000) {
            throw new UserError("--in-flight must be 1..20000");
        }
        if (conntrackMax != null && (conntrackMax < 1 || conntrackMax > Integer.MAX_VALUE)) {
            throw new UserError("--conntrack-max must be 1.." + Integer.MAX_VALUE);
        }
        if (outside < 0 || outside > 16_000) {
            throw new UserError("--outside must be 1..16000");
        }
        return new LabSession.Settings(d, n, t, capture, conntrackMax, tui, format.equals("json"), outside, flows,
                checkedFlowCap());
    }

    private int checkedFlowCap() {
        if (flowCap != null && !flows) {
            throw new UserError("--flow-cap caps the flows counted: add --flows");
        }
        int cap = flowCap == null ? Backend.Packets.DEFAULT_FLOW_CAP : flowCap;
        if (cap < 1 || cap > 1_000_000) {
            throw new UserError("--flow-cap must be 1-1000000, not " + cap);
        }
        return cap;
    }
}
