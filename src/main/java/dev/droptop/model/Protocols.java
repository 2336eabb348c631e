package dev.droptop.model;

/** Names of the ethertypes that show up in {@code skb:kfree_skb}'s {@code protocol} field. */
public final class Protocols {
    private Protocols() {
    }

    public static String name(int ethertype) {
        switch (ethertype) {
            case -1: return "-";
            case 0: return "0";
            case 0x0800: return "IPv4";
            case 0x86DD: return "IPv6";
            case 0x0806: return "ARP";
            case 0x8100: return "VLAN";
            case 0x88CC: return "LLDP";
            default: return "0x" + Integer.toHexString(ethertype);
        }
    }
}
