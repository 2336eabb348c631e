package dev.droptop.diagnose;

import dev.droptop.model.DropKey;
import java.util.function.Predicate;

/** Packets whose checksum is wrong (UDP_CSUM, TCP_CSUM, ICMP_CSUM, IP_CSUM, SKB_CSUM). */
final class ChecksumRule extends StateRule {
    private static final Predicate<DropKey> MATCH = DropFacts.reason("UDP_CSUM", "TCP_CSUM", "ICMP_CSUM", "IP_CSUM",
            "SKB_CSUM");

    ChecksumRule() {
        super("bad-checksum", Severity.CRITICAL, MATCH);
    }

    @Override
    String summary(DropFacts facts, NetState net) {
        return "bad checksums: packets arrive corrupted or with checksums computed wrongly";
    }

    @Override
    String stateEvidence(DropFacts facts, NetState net) {
        String rises = net.rises("Udp.InCsumErrors", "Tcp.InCsumErrors", "Icmp.InCsumErrors", "IpExt.InCsumErrors");
        String devices = String.join(", ", facts.devices(MATCH));
        return devices.isEmpty() ? rises : (rises.isEmpty() ? "" : rises + "; ") + "received on " + devices;
    }

    @Override
    String advice(DropFacts facts, NetState net, long n) {
        String dev = facts.devices(MATCH).stream().findFirst().orElse("DEV");
        return "on the receiving device: `ethtool -k " + dev + " | grep -i checksum` (rx-checksumming, "
                + "tx-checksum-*: offload toggled on one side of a veth/VM link only breaks checksums; align them "
                + "with `ethtool -K " + dev + " rx on tx on`), `ethtool -S " + dev + " | grep -i err` for NIC errors "
                + "(bad cable, NIC or driver when a physical port counts them); senders using raw sockets or "
                + "packet generators must fill the checksum; `nstat -az UdpInCsumErrors TcpInCsumErrors` counts them";
    }
}
