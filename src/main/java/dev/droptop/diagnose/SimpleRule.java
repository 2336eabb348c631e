package dev.droptop.diagnose;

import dev.droptop.model.DropKey;
import dev.droptop.model.Snapshot;
import dev.droptop.model.SystemState;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A rule that needs only the drops: the drops a predicate matches make one finding with fixed
 * summary and advice; the evidence lists where they happened.
 */
abstract class SimpleRule implements Rule {
    private final String id;
    private final Severity severity;
    private final Predicate<DropKey> match;

    SimpleRule(String id, Severity severity, Predicate<DropKey> match) {
        this.id = id;
        this.severity = severity;
        this.match = match;
    }

    /** The one-line cause. */
    abstract String summary();

    /** What to do, naming the sysctl or command. */
    abstract String advice(DropFacts facts, long drops);

    @Override
    public Optional<Finding> apply(Snapshot drops, SystemState system) {
        DropFacts facts = new DropFacts(drops);
        long n = facts.count(match);
        if (n == 0) {
            return Optional.empty();
        }
        String evidence = n + " drops (" + facts.share(n) + " of all) at " + facts.where(match, 3);
        return Optional.of(new Finding(id, severity, summary(), evidence, advice(facts, n), n));
    }
}
