package dev.droptop.model;

/**
 * Reads the 5-tuple out of the first bytes of a packet that start at its IPv4 or IPv6 header (what
 * the bpftrace probe copies from {@code skb->head + skb->network_header}). Never throws on short or
 * odd bytes: what is missing stays unknown.
 *
 * <ul>
 *   <li>IPv4: options skipped by IHL; fragments flagged, ports read only from the first fragment.</li>
 *   <li>IPv6: hop-by-hop, routing, destination options, mobility, AH and fragment headers are walked
 *       (at most {@value #MAX_EXTENSIONS}); a non-first fragment has no ports.</li>
 *   <li>ICMP / ICMPv6: the type and code stand in for the ports; an error (destination unreachable,
 *       time exceeded, parameter problem, packet too big) also yields the inner packet's 5-tuple,
 *       which names the connection the error is about.</li>
 *   <li>Anything whose first nibble is not 4 or 6 (ARP, a device without a network header) is not IP:
 *       {@link Decoded#flow()} is null.</li>
 * </ul>
 */
public final class PacketHeaders {
    public static final int MAX_EXTENSIONS = 8;

    private PacketHeaders() {
    }

    /**
     * What was read.
     *
     * @param version 4, 6, or 0 when not IP (or too short for its IP header)
     * @param flow the 5-tuple, null when not IP
     * @param fragment the packet is a fragment (more-fragments set or a non-zero offset)
     * @param truncated the bytes ended before the transport ports could be read
     * @param inner for ICMP errors the 5-tuple of the packet quoted in it, else null
     */
    public record Decoded(int version, Flow flow, boolean fragment, boolean truncated, Flow inner) {
        static final Decoded NOT_IP = new Decoded(0, null, false, false, null);
    }

    public static Decoded decode(byte[] b) {
        return decode(b, 0, b.length, true);
    }

    public static Decoded decode(byte[] b, int off, int len) {
        return decode(b, off, len, true);
    }

    /**
     * {@link Decoded#version} without decoding (nothing allocated): 4 or 6 when {@code b[off, off+len)}
     * starts with a whole IPv4 or IPv6 header, else 0.
     */
    public static int version(byte[] b, int off, int len) {
        if (len < 1 || off < 0 || off + len > b.length) {
            return 0;
        }
        int version = (b[off] & 0xff) >>> 4;
        if (version == 4) {
            return len >= 20 && (b[off] & 0x0f) * 4 >= 20 ? 4 : 0;
        }
        return version == 6 && len >= 40 ? 6 : 0;
    }

    private static Decoded decode(byte[] b, int off, int len, boolean outer) {
        int version = version(b, off, len);
        if (version == 4) {
            return ipv4(b, off, len, outer);
        }
        if (version == 6) {
            return ipv6(b, off, len, outer);
        }
        return Decoded.NOT_IP;
    }

    private static Decoded ipv4(byte[] b, int off, int len, boolean outer) {
        int ihl = (b[off] & 0x0f) * 4;
        int proto = u8(b, off + 9);
        String src = ipv4(b, off + 12);
        String dst = ipv4(b, off + 16);
        int flagsOffset = u16(b, off + 6);
        boolean moreFragments = (flagsOffset & 0x2000) != 0;
        boolean later = (flagsOffset & 0x1fff) != 0;
        if (later) {
            return new Decoded(4, new Flow(src, dst, Flow.NO_PORT, Flow.NO_PORT, proto), true, false, null);
        }
        return transport(4, src, dst, proto, b, off + ihl, off + len, moreFragments, outer);
    }

    private static Decoded ipv6(byte[] b, int off, int len, boolean outer) {
        String src = ipv6(b, off + 8);
        String dst = ipv6(b, off + 24);
        int next = u8(b, off + 6);
        int p = off + 40;
        int end = off + len;
        boolean fragment = false;
        for (int i = 0; i < MAX_EXTENSIONS; i++) {
            int size;
            switch (next) {
                case 0, 43, 60, 135, 139, 140 -> size = p + 2 <= end ? (u8(b, p + 1) + 1) * 8 : -1;
                case 51 -> size = p + 2 <= end ? (u8(b, p + 1) + 2) * 4 : -1;
                case 44 -> {
                    if (p + 8 > end) {
                        size = -1;
                        break;
                    }
                    fragment = true;
                    int fo = u16(b, p + 2);
                    if ((fo & 0xfff8) != 0) {
                        return new Decoded(6, new Flow(src, dst, Flow.NO_PORT, Flow.NO_PORT, u8(b, p)), true, false, null);
                    }
                    size = 8;
                }
                default -> {
                    return transport(6, src, dst, next, b, p, end, fragment, outer);
                }
            }
            if (size < 0) {
                return new Decoded(6, new Flow(src, dst, Flow.NO_PORT, Flow.NO_PORT, next), fragment, true, null);
            }
            next = u8(b, p);
            p += size;
        }
        // more extension headers than we walk: the transport protocol stays unknown
        return new Decoded(6, new Flow(src, dst, Flow.NO_PORT, Flow.NO_PORT, -1), fragment, false, null);
    }

    private static Decoded transport(int version, String src, String dst, int proto, byte[] b, int t, int end,
            boolean fragment, boolean outer) {
        int sport = Flow.NO_PORT;
        int dport = Flow.NO_PORT;
        boolean truncated = false;
        Flow inner = null;
        switch (proto) {
            case 6, 17, 132, 136 -> {
                if (t + 4 <= end) {
                    sport = u16(b, t);
                    dport = u16(b, t + 2);
                } else {
                    truncated = true;
                }
            }
            case 1, 58 -> {
                if (t + 2 <= end) {
                    sport = u8(b, t);
                    dport = u8(b, t + 1);
                    if (outer && isIcmpError(proto, sport) && t + 8 < end) {
                        Decoded in = decode(b, t + 8, end - t - 8, false);
                        inner = in.flow();
                    }
                } else {
                    truncated = true;
                }
            }
            case 59 -> {
                // no next header
            }
            default -> {
                // a transport droptop does not read
            }
        }
        return new Decoded(version, new Flow(src, dst, sport, dport, proto), fragment, truncated, inner);
    }

    private static boolean isIcmpError(int proto, int type) {
        return proto == 1 ? type == 3 || type == 11 || type == 12 || type == 4 || type == 5
                : type >= 1 && type <= 4;
    }

    private static int u8(byte[] b, int i) {
        return b[i] & 0xff;
    }

    private static int u16(byte[] b, int i) {
        return (b[i] & 0xff) << 8 | b[i + 1] & 0xff;
    }

    /** {@code 198.18.0.1}. */
    public static String ipv4(byte[] b, int i) {
        return u8(b, i) + "." + u8(b, i + 1) + "." + u8(b, i + 2) + "." + u8(b, i + 3);
    }

    /** RFC 5952 text: lower case, the longest run (≥ 2) of zero groups as {@code ::}, the first of equals. */
    public static String ipv6(byte[] b, int i) {
        int[] g = new int[8];
        for (int k = 0; k < 8; k++) {
            g[k] = u16(b, i + 2 * k);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int k = 0; k < 8;) {
            if (g[k] != 0) {
                k++;
                continue;
            }
            int s = k;
            while (k < 8 && g[k] == 0) {
                k++;
            }
            if (k - s > bestLen) {
                bestStart = s;
                bestLen = k - s;
            }
        }
        StringBuilder sb = new StringBuilder(39);
        for (int k = 0; k < 8; k++) {
            if (k == bestStart) {
                sb.append("::");
                k += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[k]));
        }
        return sb.toString();
    }
}
