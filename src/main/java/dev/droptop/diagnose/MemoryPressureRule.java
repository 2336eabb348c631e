package dev.droptop.diagnose;

import dev.droptop.model.NetKeys;
import java.util.Locale;

/** A protocol's socket memory limit was reached (PROTO_MEM): tcp_mem/udp_mem, in pages. */
final class MemoryPressureRule extends StateRule {
    MemoryPressureRule() {
        super("protocol-memory", Severity.CRITICAL, DropFacts.reason("PROTO_MEM"));
    }

    @Override
    String summary(DropFacts facts, NetState net) {
        return "protocol memory limit reached: sockets together hold more buffer memory than tcp_mem/udp_mem allow";
    }

    @Override
    String stateEvidence(DropFacts facts, NetState net) {
        StringBuilder sb = new StringBuilder();
        for (String p : new String[] {"UDP", "TCP"}) {
            long mem = net.latest(NetKeys.SOCKSTAT + p + ".mem");
            long max = net.sysctl("net.ipv4." + p.toLowerCase(Locale.ROOT) + "_mem.max");
            if (mem >= 0 && max > 0) {
                sb.append(sb.length() == 0 ? "" : "; ").append(p).append(" uses ").append(mem).append(" pages of ")
                        .append(p.toLowerCase(Locale.ROOT)).append("_mem max ").append(max);
            }
        }
        String rises = net.rises("Udp.MemErrors", "TcpExt.TCPMemoryPressures", "TcpExt.TCPAbortOnMemory");
        return rises.isEmpty() ? sb.toString() : sb.length() == 0 ? rises : sb + "; " + rises;
    }

    @Override
    String advice(DropFacts facts, NetState net, long n) {
        StringBuilder sb = new StringBuilder("find the sockets holding memory: `ss -tumn` (large Recv-Q/Send-Q), "
                + "`cat /proc/net/sockstat` (mem in pages); make them read faster, or raise the limit");
        for (String p : new String[] {"udp", "tcp"}) {
            long min = net.sysctl("net.ipv4." + p + "_mem.min");
            long pressure = net.sysctl("net.ipv4." + p + "_mem.pressure");
            long max = net.sysctl("net.ipv4." + p + "_mem.max");
            boolean used = facts.count(k -> k.reason().equals("PROTO_MEM") && k.symbol().contains(p)) > 0;
            if (used && max > 0) {
                sb.append(": `sysctl -w net.ipv4.").append(p).append("_mem=\"").append(2 * min).append(' ')
                        .append(2 * pressure).append(' ').append(2 * max).append("\"` (now ").append(min).append(' ')
                        .append(pressure).append(' ').append(max).append(" pages, ").append(Sizes.bytes(max * 4096))
                        .append(" at max)");
            }
        }
        return sb.toString();
    }
}
