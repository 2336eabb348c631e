package dev.droptop.model;

/**
 * A 5-tuple as droptop shows it: source and destination address (text, IPv4 dotted or RFC 5952
 * IPv6), ports (-1 when the packet has none: ICMP, non-first fragments, unknown transport; for
 * ICMP/ICMPv6 {@code sport} is the type and {@code dport} the code) and the IP protocol number
 * (6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6; -1 unknown).
 */
public record Flow(String src, String dst, int sport, int dport, int proto) {
    public static final int NO_PORT = -1;
    /** The drops of flows beyond a cap on distinct flows, counted together. */
    public static final Flow OTHER = new Flow("*", "*", NO_PORT, NO_PORT, -1);

    public Flow {
        if (src == null || dst == null) {
            throw new NullPointerException("Flow addresses must not be null");
        }
    }

    public boolean isOther() {
        return equals(OTHER);
    }

    /** {@code tcp}, {@code udp}, {@code icmp}, {@code icmpv6}, or the number. */
    public String protoName() {
        return protoName(proto);
    }

    public static String protoName(int proto) {
        return switch (proto) {
            case 1 -> "icmp";
            case 6 -> "tcp";
            case 17 -> "udp";
            case 58 -> "icmpv6";
            case 132 -> "sctp";
            case -1 -> "?";
            default -> Integer.toString(proto);
        };
    }

    /** The protocol number of a name as {@link #protoName} writes it, or -1. */
    public static int protoNumber(String name) {
        return switch (name) {
            case "icmp" -> 1;
            case "tcp" -> 6;
            case "udp" -> 17;
            case "icmpv6" -> 58;
            case "sctp" -> 132;
            default -> {
                try {
                    int n = Integer.parseInt(name);
                    yield n >= 0 && n <= 255 ? n : -1;
                } catch (NumberFormatException e) {
                    yield -1;
                }
            }
        };
    }

    /** {@code 198.18.0.1:40000 > 198.18.1.1:9 udp}, IPv6 with brackets. */
    @Override
    public String toString() {
        if (isOther()) {
            return "(other flows, over the cap)";
        }
        return endpoint(src, sport) + " > " + endpoint(dst, dport) + " " + protoName();
    }

    private String endpoint(String addr, int port) {
        String a = addr.indexOf(':') >= 0 ? "[" + addr + "]" : addr;
        return port < 0 || proto == 1 || proto == 58 ? a : a + ":" + port;
    }
}
