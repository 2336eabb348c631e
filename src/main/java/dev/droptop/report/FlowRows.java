package dev.droptop.report;

import dev.droptop.model.DropKey;
import dev.droptop.model.Flow;
import dev.droptop.model.FlowCount;
import dev.droptop.model.Snapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The flows of a snapshot for reports: merged over netns and device, grouped per drop point
 * (location and reason), drop points by their flow total, flows by count; the top {@code n} per point,
 * the rest summed into one {@link Flow#OTHER} entry (which also holds what a flow cap folded away).
 */
final class FlowRows {
    /** Flows listed per drop point unless told otherwise. */
    static final int DEFAULT_PER_POINT = 10;

    private FlowRows() {
    }

    /** One drop point: its key without protocol/netns/device, the sum of its flows, the top flows. */
    record Point(DropKey key, long total, List<FlowCount> flows) {
    }

    static List<Point> of(Snapshot s, int perPoint) {
        Map<DropKey, Map<Flow, long[]>> byPoint = new LinkedHashMap<>();
        for (FlowCount f : s.flows()) {
            DropKey k = new DropKey(f.key().symbol(), f.key().offset(), f.key().reason(), DropKey.NO_PROTOCOL, 0, "");
            long[] c = byPoint.computeIfAbsent(k, x -> new LinkedHashMap<>()).computeIfAbsent(f.flow(), x -> new long[1]);
            c[0] = c[0] > Long.MAX_VALUE - f.count() ? Long.MAX_VALUE : c[0] + f.count();
        }
        List<Point> points = new ArrayList<>();
        byPoint.forEach((k, flows) -> {
            List<FlowCount> list = new ArrayList<>();
            long other = 0;
            long total = 0;
            for (Map.Entry<Flow, long[]> e : flows.entrySet()) {
                total += e.getValue()[0];
                if (e.getKey().isOther()) {
                    other += e.getValue()[0];
                } else {
                    list.add(new FlowCount(k, e.getKey(), e.getValue()[0]));
                }
            }
            list.sort(Comparator.comparingLong(FlowCount::count).reversed()
                    .thenComparing(f -> f.flow().toString()));
            if (list.size() > perPoint) {
                other += list.subList(perPoint, list.size()).stream().mapToLong(FlowCount::count).sum();
                list = new ArrayList<>(list.subList(0, perPoint));
            }
            if (other > 0) {
                list.add(new FlowCount(k, Flow.OTHER, other));
            }
            points.add(new Point(k, total, List.copyOf(list)));
        });
        points.sort(Comparator.comparingLong(Point::total).reversed().thenComparing(p -> p.key().location()));
        return points;
    }

    /**
     * Where a drop point's flows went: per destination (address, port, protocol) the distinct sources
     * (addresses), the flows and their drops, largest first. Counted over the flows droptop has one by
     * one (not the folded rest): the NAT case's many SYNs from a client range to one DNAT address, each
     * its own flow, read here as one line.
     */
    record Target(String dst, int dport, int proto, int sources, int flows, long count) {
    }

    static List<Target> targets(Snapshot s, DropKey point, int n) {
        Map<String, Object[]> byDst = new LinkedHashMap<>();
        for (FlowCount f : s.flows()) {
            Flow fl = f.flow();
            if (fl.isOther() || !f.key().symbol().equals(point.symbol()) || f.key().offset() != point.offset()
                    || !f.key().reason().equals(point.reason())) {
                continue;
            }
            int dport = fl.proto() == 1 || fl.proto() == 58 ? -1 : fl.dport();
            String k = fl.dst() + " " + dport + " " + fl.proto();
            Object[] acc = byDst.computeIfAbsent(k, x -> new Object[] {fl, new java.util.HashSet<String>(), new long[2]});
            @SuppressWarnings("unchecked")
            java.util.Set<String> srcs = (java.util.Set<String>) acc[1];
            srcs.add(fl.src());
            long[] c = (long[]) acc[2];
            c[0]++;
            c[1] += f.count();
        }
        List<Target> out = new ArrayList<>();
        for (Object[] acc : byDst.values()) {
            Flow fl = (Flow) acc[0];
            long[] c = (long[]) acc[2];
            out.add(new Target(fl.dst(), fl.proto() == 1 || fl.proto() == 58 ? -1 : fl.dport(), fl.proto(),
                    ((java.util.Set<?>) acc[1]).size(), (int) Math.min(Integer.MAX_VALUE, c[0]), c[1]));
        }
        out.sort(Comparator.comparingLong(Target::count).reversed().thenComparing(Target::dst));
        return out.subList(0, Math.min(n, out.size()));
    }

    /** {@code 198.18.0.1:40000}, IPv6 in brackets, the address alone without a port. */
    static String endpoint(String addr, int port, int proto) {
        String a = addr.indexOf(':') >= 0 ? "[" + addr + "]" : addr;
        return port < 0 || proto == 1 || proto == 58 ? a : a + ":" + port;
    }

    /** The ports column: ICMP type/code, else nothing extra. */
    static String icmp(Flow f) {
        return f.proto() == 1 || f.proto() == 58 ? "type " + f.sport() + " code " + f.dport() : "";
    }
}
