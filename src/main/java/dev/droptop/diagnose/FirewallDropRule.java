package dev.droptop.diagnose;

import dev.droptop.model.Snapshot;
import dev.droptop.model.SystemState;
import java.util.Optional;

/**
 * A firewall rule dropped packets: NETFILTER_DROP freed by the rule evaluator (nft_do_chain,
 * ipt_do_table), or at nf_hook_slow under a filter-only hook (INPUT, FORWARD, POSTROUTING) when
 * conntrack is not shown to be full.
 */
final class FirewallDropRule implements Rule {
    static final String ID = "firewall-rule-drop";

    @Override
    public Optional<Finding> apply(Snapshot drops, SystemState system) {
        DropFacts facts = new DropFacts(drops);
        long rules = facts.count(Netfilter.RULE_DROP);
        long filterHooks = new ConntrackFacts(system).confirmed() ? 0
                : facts.countFrom(Netfilter.HOOK_DROP, Netfilter.FILTER_HOOK_CALLERS);
        long n = rules + filterHooks;
        if (n == 0) {
            return Optional.empty();
        }
        StringBuilder ev = new StringBuilder();
        if (rules > 0) {
            ev.append(rules).append(" NETFILTER_DROP drops (").append(facts.share(rules)).append(" of all) freed by "
                    + "the rule evaluator at ").append(facts.where(Netfilter.RULE_DROP, 3))
                    .append(": an nftables/iptables rule with verdict drop");
        }
        if (filterHooks > 0) {
            ev.append(ev.length() == 0 ? "" : "; ").append(filterHooks).append(" NETFILTER_DROP drops at nf_hook_slow "
                    + "called from ip_local_deliver/ip_forward/ip_output (INPUT, FORWARD or POSTROUTING hooks, "
                    + "where conntrack does not refuse entries)");
        }
        String advice = "find the rule: `nft list ruleset` (add `counter` to drop rules and watch which grows) or "
                + "`iptables-save -c` / `ip6tables-save -c`; `nft monitor trace` with `meta nftrace set 1` shows "
                + "the verdict per packet; if the drop is wanted, nothing to do";
        return Optional.of(new Finding(ID, Severity.WARNING, "firewall rule drop (nftables/iptables)", ev.toString(),
                advice, n));
    }
}
