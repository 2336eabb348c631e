package dev.droptop.diagnose;

import dev.droptop.model.Snapshot;
import dev.droptop.model.SystemState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Runs every rule over the drops and the system state; findings come most important first. */
public final class Diagnoser {
    private static final List<Rule> RULES = List.of(new ConntrackFullRule(), new FirewallDropRule(),
            new NoSocketRule(), new SocketRcvbufRule(), new ListenOverflowRule(), new CpuBacklogRule(),
            new QdiscDropRule(), new RpFilterRule(), new NeighbourRule(), new ForwardingRule(), new NoRouteRule(),
            new TtlExpiredRule(), new ChecksumRule(), new SocketFilterRule(), new FragmentRule(), new TcpPawsRule(),
            new TcpWindowRule(), new MemoryPressureRule(), new XfrmRule(), new BenignRule());

    private final List<Rule> rules;

    public Diagnoser(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** All built-in rules. */
    public static List<Rule> rules() {
        return RULES;
    }

    /** Runs the built-in rules. */
    public static List<Finding> diagnose(Snapshot drops, SystemState system) {
        return new Diagnoser(RULES).run(drops, system);
    }

    /**
     * The nf_conntrack_max the conntrack advice suggests (next power of two at or above twice the peak
     * count, when the table is full or nearly so), or -1 when the current limit is enough.
     */
    public static long suggestedConntrackMax(SystemState system) {
        ConntrackFacts ct = new ConntrackFacts(system);
        if (!ct.known() || !ct.confirmed() && ct.fill() < 0.8) {
            return -1;
        }
        long s = ConntrackAdvice.suggestedMax(ct);
        return s > ct.max ? s : -1;
    }

    /** Findings sorted by severity, then by the drops they explain, descending. */
    public List<Finding> run(Snapshot drops, SystemState system) {
        List<Finding> out = new ArrayList<>();
        for (Rule r : rules) {
            r.apply(drops, system == null ? SystemState.none() : system).ifPresent(out::add);
        }
        out.sort(Comparator.comparing(Finding::severity).thenComparing(Comparator.comparingLong(Finding::drops)
                .reversed()));
        return List.copyOf(out);
    }
}
