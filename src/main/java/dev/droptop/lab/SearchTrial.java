package dev.droptop.lab;

import dev.droptop.diagnose.Netfilter;
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
     * Why a trial lost what it lost, in a few words: the drop that accounts for the loss with the conntrack
     * state, or the generator falling behind, or losses without drops (timeouts). The drop is conntrack's
     * ({@code nf_hook_slow NETFILTER_DROP}) when the table was full and conntrack counted drops, else the
     * top drop; either only when it accounts for at least a tenth of the sessions or packets that were
     * started and lost. A full table's few drops can be outnumbered by drops that follow from them (a
     * trial of 1,012 sessions into 1,000 entries: 12 conntrack drops, 12 sessions lost, 23 drops at
     * tcp_v4_rcv NOT_SPECIFIED), and it is the table that limits the rate.
     */
    public String why() {
        String ct = conntrackMax > 0 ? ", conntrack " + conntrackPeak + "/" + conntrackMax : "";
        long lost = intended - succeeded;
        if (lost > 0 && unattempted * 2 >= lost) {
            return "the load generator (" + unattempted + " of " + intended + " " + unit + " unattempted)" + ct;
        }
        Drop d = explaining();
        if (d != null && d.count() * 10 >= lost - unattempted) {
            return d.symbol() + " " + (d.reason().isEmpty() ? "-" : d.reason()) + ct;
        }
        return "no drops recorded (late or unanswered " + unit + ")" + ct;
    }

    /** The drop {@link #why} names, or null when there are none. */
    public Drop explaining() {
        if (conntrackMax > 0 && conntrackPeak >= conntrackMax && conntrackDrops > 0) {
            for (Drop d : drops) {
                if (Netfilter.isHookDrop(d.symbol(), d.reason())) {
                    return d;
                }
            }
        }
        return drops.isEmpty() ? null : drops.get(0);
    }
}
