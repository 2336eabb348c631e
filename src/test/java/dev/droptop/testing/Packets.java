package dev.droptop.testing;

import java.io.ByteArrayOutputStream;

/**
 * Hand-made packets for decoder and pcapng tests, built in code (no fixture files): IPv4 and IPv6
 * headers with UDP, TCP and ICMP, IPv6 extension headers and fragments. Checksums are left zero;
 * nothing here is sent.
 */
public final class Packets {
    private Packets() {
    }

    public static byte[] ipv4(int proto, int[] src, int[] dst, int fragField, byte[] payload) {
        byte[] p = new byte[20 + payload.length];
        p[0] = 0x45;
        int total = p.length;
        p[2] = (byte) (total >> 8);
        p[3] = (byte) total;
        p[6] = (byte) (fragField >> 8);
        p[7] = (byte) fragField;
        p[8] = 64;
        p[9] = (byte) proto;
        for (int i = 0; i < 4; i++) {
            p[12 + i] = (byte) src[i];
            p[16 + i] = (byte) dst[i];
        }
        System.arraycopy(payload, 0, p, 20, payload.length);
        return p;
    }

    /** IPv4 with 8 bytes of options (IHL 7). */
    public static byte[] ipv4WithOptions(int proto, int[] src, int[] dst, byte[] payload) {
        byte[] plain = ipv4(proto, src, dst, 0, payload);
        byte[] p = new byte[plain.length + 8];
        System.arraycopy(plain, 0, p, 0, 20);
        p[0] = 0x47;
        p[20] = 1; // NOP options
        p[21] = 1;
        p[22] = 1;
        p[23] = 1;
        p[24] = 1;
        p[25] = 1;
        p[26] = 1;
        p[27] = 0; // end of options
        System.arraycopy(plain, 20, p, 28, payload.length);
        p[3] = (byte) p.length;
        return p;
    }

    public static byte[] ipv6(int nextHeader, byte[] src16, byte[] dst16, byte[] payload) {
        byte[] p = new byte[40 + payload.length];
        p[0] = 0x60;
        p[4] = (byte) (payload.length >> 8);
        p[5] = (byte) payload.length;
        p[6] = (byte) nextHeader;
        p[7] = 64;
        System.arraycopy(src16, 0, p, 8, 16);
        System.arraycopy(dst16, 0, p, 24, 16);
        System.arraycopy(payload, 0, p, 40, payload.length);
        return p;
    }

    public static byte[] udp(int sport, int dport, int payloadBytes) {
        byte[] u = new byte[8 + payloadBytes];
        u[0] = (byte) (sport >> 8);
        u[1] = (byte) sport;
        u[2] = (byte) (dport >> 8);
        u[3] = (byte) dport;
        u[4] = (byte) (u.length >> 8);
        u[5] = (byte) u.length;
        for (int i = 8; i < u.length; i++) {
            u[i] = (byte) ('a' + i % 26);
        }
        return u;
    }

    /** A TCP SYN: 20-byte header, no options. */
    public static byte[] tcpSyn(int sport, int dport) {
        byte[] t = new byte[20];
        t[0] = (byte) (sport >> 8);
        t[1] = (byte) sport;
        t[2] = (byte) (dport >> 8);
        t[3] = (byte) dport;
        t[12] = 0x50;
        t[13] = 0x02;
        t[14] = (byte) 0xff;
        t[15] = (byte) 0xff;
        return t;
    }

    /** ICMP(v6) header (type, code, 2 bytes checksum, 4 bytes rest) followed by {@code quoted}. */
    public static byte[] icmp(int type, int code, byte[] quoted) {
        byte[] i = new byte[8 + quoted.length];
        i[0] = (byte) type;
        i[1] = (byte) code;
        System.arraycopy(quoted, 0, i, 8, quoted.length);
        return i;
    }

    /** An IPv6 extension header of 8 bytes (hop-by-hop, destination options, routing). */
    public static byte[] ext8(int nextHeader, byte[] rest) {
        return concat(new byte[] {(byte) nextHeader, 0, 1, 4, 0, 0, 0, 0}, rest);
    }

    /** An IPv6 fragment header: offset in 8-byte units, more-fragments flag. */
    public static byte[] fragment6(int nextHeader, int offsetUnits, boolean more, byte[] rest) {
        int fo = offsetUnits << 3 | (more ? 1 : 0);
        return concat(new byte[] {(byte) nextHeader, 0, (byte) (fo >> 8), (byte) fo, 0, 0, 0x12, 0x34}, rest);
    }

    public static byte[] v6(String last) {
        // 2001:db8::<last>, last is one hex group
        byte[] a = new byte[16];
        a[0] = 0x20;
        a[1] = 0x01;
        a[2] = 0x0d;
        a[3] = (byte) 0xb8;
        int g = Integer.parseInt(last, 16);
        a[14] = (byte) (g >> 8);
        a[15] = (byte) g;
        return a;
    }

    public static byte[] arp() {
        // ARP request as it sits at the network header: htype 1, ptype 0x0800, hlen 6, plen 4, op 1
        return new byte[] {0, 1, 8, 0, 6, 4, 0, 1, 2, 0, 0, 0, 0, 1, (byte) 198, 18, 0, 1,
            0, 0, 0, 0, 0, 0, (byte) 198, 18, 0, 2};
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    public static int[] addr(int a, int b, int c, int d) {
        return new int[] {a, b, c, d};
    }
}
