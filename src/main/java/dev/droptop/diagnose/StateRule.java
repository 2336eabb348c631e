package dev.droptop.diagnose;

import dev.droptop.model.DropKey;
import dev.droptop.model.Snapshot;
import dev.droptop.model.SystemState;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A rule for one family of drop reasons whose advice depends on the system state: the counters and
 * sysctls of {@link NetState}, read in the namespace of the drops when the backend knew it. The
 * evidence lists where the matching drops happened plus what the counters say.
 */
abstract class StateRule implements Rule {
    private final String id;
    private final Severity severity;
    private final Predicate<DropKey> match;

    StateRule(String id, Severity severity, Predicate<DropKey> match) {
        this.id = id;
        this.severity = severity;
        this.match = match;
    }

    /** The drops this rule explains; may depend on the state (default: the constructor's predicate). */
    Predicate<DropKey> match(NetState net) {
        return match;
    }

    /** Whether the rule speaks at all for these drops and this state (default: when any drop matches). */
    boolean fires(DropFacts facts, NetState net, long n) {
        return n > 0;
    }

    abstract String summary(DropFacts facts, NetState net);

    /** Counters and sysctls that support the finding, or {@code ""}. */
    String stateEvidence(DropFacts facts, NetState net) {
        return "";
    }

    abstract String advice(DropFacts facts, NetState net, long n);

    @Override
    public Optional<Finding> apply(Snapshot drops, SystemState system) {
        DropFacts facts = new DropFacts(drops);
        NetState net = new NetState(system);
        String elsewhere = "";
        long dropNetns = facts.busiestNetns(match(net));
        if (dropNetns != 0 && net.netns() > 0 && dropNetns != net.netns()) {
            // the counters are another namespace's: judging these drops by them would mislead
            elsewhere = "; drops in netns " + dropNetns + ", counters read in netns " + net.netns() + " (not used)";
            net = new NetState(SystemState.none());
        }
        Predicate<DropKey> m = match(net);
        long n = facts.count(m);
        if (!fires(facts, net, n)) {
            return Optional.empty();
        }
        String evidence = n + " drops (" + facts.share(n) + " of all) at " + facts.where(m, 3) + elsewhere;
        String state = stateEvidence(facts, net);
        if (!state.isEmpty()) {
            evidence += "; " + state + net.where();
        }
        return Optional.of(new Finding(id, severity, summary(facts, net), evidence, advice(facts, net, n), n));
    }
}
