package dev.droptop.diagnose;

import dev.droptop.model.Snapshot;
import dev.droptop.model.SystemState;
import java.util.Optional;

/**
 * The conntrack table is full, so conntrack's hook refuses new connections. Confirmed by the system
 * state (count at max, a rising {@code drop} stat, or the kernel's "table full" line); without system
 * state, inferred from NETFILTER_DROP at nf_hook_slow called from ip_rcv/LOCAL_OUT (where conntrack
 * runs) when no rule evaluator (nft_do_chain, ipt_do_table) dropped anything.
 */
final class ConntrackFullRule implements Rule {
    static final String ID = "conntrack-table-full";
    static final String OUTSIDE_ID = "conntrack-full-outside-trace";
    private static final double NEARLY_FULL = 0.8;

    @Override
    public Optional<Finding> apply(Snapshot drops, SystemState system) {
        DropFacts facts = new DropFacts(drops);
        long hook = facts.count(Netfilter.HOOK_DROP);
        ConntrackFacts ct = new ConntrackFacts(system);
        if (ct.confirmed() && hook == 0 && drops.total() > 0) {
            // the system says full (kernel log, stat drop) but none of these drops came from conntrack's
            // hook: it happened outside this trace (before it, or in another namespace's traffic)
            return Optional.of(new Finding(OUTSIDE_ID, Severity.INFO,
                    "conntrack table was full, but none of the drops traced here came from it", ct.evidence(),
                    ConntrackAdvice.sized(ct), 0));
        }
        if (ct.confirmed()) {
            return Optional.of(new Finding(ID, Severity.CRITICAL, "conntrack table full",
                    join(ct.evidence(), hookEvidence(facts, hook)), ConntrackAdvice.sized(ct), hook));
        }
        if (!ct.known() && hook > 0) {
            return likely(facts, hook);
        }
        if (ct.known() && ct.fill() >= NEARLY_FULL) {
            return Optional.of(new Finding("conntrack-nearly-full", Severity.WARNING, "conntrack table nearly full",
                    ct.evidence(), ConntrackAdvice.sized(ct), 0));
        }
        return Optional.empty();
    }

    private static Optional<Finding> likely(DropFacts facts, long hook) {
        long fromConntrackHooks = facts.countFrom(Netfilter.HOOK_DROP, Netfilter.CONNTRACK_HOOK_CALLERS);
        long fromFilterHooks = facts.countFrom(Netfilter.HOOK_DROP, Netfilter.FILTER_HOOK_CALLERS);
        if (fromConntrackHooks == 0 && fromFilterHooks > 0) {
            return Optional.empty(); // INPUT/FORWARD/POSTROUTING: a rule, see FirewallDropRule
        }
        long rules = facts.count(Netfilter.RULE_DROP);
        String evidence = hookEvidence(facts, hook) + "; " + (rules == 0
                ? "no drops at nft_do_chain/ipt_do_table, so no nftables rule dropped them"
                : rules + " other drops at a rule evaluator (see firewall-rule-drop)")
                + "; no system state in this trace to confirm (count vs max, conntrack -S drop, kernel log)";
        return Optional.of(new Finding(ID, Severity.CRITICAL, "conntrack table full (likely)", evidence,
                ConntrackAdvice.unsized(), hook));
    }

    static String hookEvidence(DropFacts facts, long hook) {
        if (hook == 0) {
            return "";
        }
        long pre = facts.countFrom(Netfilter.HOOK_DROP, Netfilter.CONNTRACK_HOOK_CALLERS);
        String flows = facts.flowEvidence(Netfilter.HOOK_DROP);
        return hook + " NETFILTER_DROP drops (" + facts.share(hook) + " of all) at "
                + facts.where(Netfilter.HOOK_DROP, 2)
                + (pre > 0 ? ", " + pre + " of them called from ip_rcv/LOCAL_OUT (PREROUTING or OUTPUT hook, "
                + "where conntrack runs)" : "")
                + (flows.isEmpty() ? "" : ", " + flows);
    }

    private static String join(String a, String b) {
        return b.isEmpty() ? a : a + "; " + b;
    }
}
