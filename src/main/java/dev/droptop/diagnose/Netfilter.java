package dev.droptop.diagnose;

import dev.droptop.model.DropKey;
import java.util.Set;
import java.util.function.Predicate;

/** How netfilter drops look in a trace, shared by the conntrack and firewall rules and the lab's search. */
public final class Netfilter {
    static final String HOOK = "nf_hook_slow";
    /** Functions that free the packet themselves when a rule says drop (nf_tables, x_tables). */
    static final Set<String> RULE_EVALUATORS = Set.of("nft_do_chain", "nft_do_chain_inet", "nft_do_chain_ipv4",
            "nft_do_chain_ipv6", "ipt_do_table", "ip6t_do_table", "arpt_do_table", "ebt_do_table");
    /** Callers of nf_hook_slow for the hooks where conntrack runs: PREROUTING and LOCAL_OUT. */
    static final Set<String> CONNTRACK_HOOK_CALLERS = Set.of("ip_rcv", "ipv6_rcv", "__ip_local_out",
            "__ip6_local_out", "ip_local_out", "ip6_local_out", "br_nf_pre_routing");
    /** Callers of nf_hook_slow for filter-only hooks: INPUT, FORWARD, POSTROUTING. */
    static final Set<String> FILTER_HOOK_CALLERS = Set.of("ip_local_deliver", "ip6_input", "ip_forward",
            "ip6_forward", "ip_output", "ip6_output", "ip_finish_output");

    private Netfilter() {
    }

    static boolean isNetfilterDrop(DropKey k) {
        return isNetfilterDrop(k.symbol(), k.reason());
    }

    private static boolean isNetfilterDrop(String symbol, String reason) {
        return reason.equals("NETFILTER_DROP") || reason.isEmpty() && isHookOrRule(symbol);
    }

    private static boolean isHookOrRule(String symbol) {
        return symbol.equals(HOOK) || RULE_EVALUATORS.contains(symbol);
    }

    /**
     * NETFILTER_DROP freed in nf_hook_slow: a hook function returned NF_DROP (conntrack, iptables-legacy);
     * on a kernel without drop reasons, any drop there.
     */
    public static boolean isHookDrop(String symbol, String reason) {
        return symbol.equals(HOOK) && isNetfilterDrop(symbol, reason);
    }

    /** {@link #isHookDrop} of a drop key. */
    static final Predicate<DropKey> HOOK_DROP = k -> isHookDrop(k.symbol(), k.reason());

    /** NETFILTER_DROP freed by the rule evaluator itself: an nftables/x_tables rule said drop. */
    static final Predicate<DropKey> RULE_DROP = k -> isNetfilterDrop(k)
            && (RULE_EVALUATORS.contains(k.symbol()) || k.symbol().startsWith("nft_"));
}
