package dev.droptop.lab;

import java.util.List;

/**
 * What one search trial recorded besides its loss: the counts the loss came from, the drops during
 * the trial (top locations and reasons, in the lab's namespaces when the backend knows namespaces),
 * and the nat namespace's conntrack state.
 *
 * @param unit what {@code intended}/{@code succeeded} count: sessions (CPS) or packets (TPUT)
 * @param intended what the trial offered (rate × duration; unattempted ones count as lost)
 * @param unattempted offered but never started (the generator fell behind)
 * @param drops the top drops of the trial, most first
 * @param dropScope "lab namespaces" or "whole system" (the backend gave no namespaces)
 * @param conntrackPeak peak nf_conntrack_count in nat (-1: unknown)
 * @param conntrackMax nf_conntrack_max during the trial (-1: unknown)
 * @param conntrackDrops rise of conntrack's drop stat in nat
 * @param rampUp sessions set up by the ramp-up before a TPUT trial (-1: none)
 */
public record SearchTrial(String unit, long intended, long succeeded, long unattempted, double seconds,
        List<Drop> drops, long dropTotal, String dropScope, long conntrackPeak, long conntrackMax, long conntrackDrops,
        long rampUp) {

    /** One drop location and reason with its count in the trial. */
    public record Drop(String location, String symbol, String reason, long count) {
    }

    /**
     * Why a trial lost what it lost, in a few words: the top drop with the conntrack state (when it
     * accounts for at least a tenth of the sessions or packets that were started and lost), or the
     * generator falling behind, or losses without drops (timeouts).
     */
    public String why() {
        String ct = conntrackMax > 0 ? ", conntrack " + conntrackPeak + "/" + conntrackMax : "";
        long lost = intended - succeeded;
        if (lost > 0 && unattempted * 2 >= lost) {
            return "the load generator (" + unattempted + " of " + intended + " " + unit + " unattempted)" + ct;
        }
        if (!drops.isEmpty() && drops.get(0).count() * 10 >= lost - unattempted) {
            Drop d = drops.get(0);
            return d.symbol() + " " + (d.reason().isEmpty() ? "-" : d.reason()) + ct;
        }
        return "no drops recorded (late or unanswered " + unit + ")" + ct;
    }
}
