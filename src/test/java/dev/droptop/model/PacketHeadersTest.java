package dev.droptop.model;

import static dev.droptop.testing.Packets.addr;
import static dev.droptop.testing.Packets.arp;
import static dev.droptop.testing.Packets.concat;
import static dev.droptop.testing.Packets.ext8;
import static dev.droptop.testing.Packets.fragment6;
import static dev.droptop.testing.Packets.icmp;
import static dev.droptop.testing.Packets.ipv4;
import static dev.droptop.testing.Packets.ipv4WithOptions;
import static dev.droptop.testing.Packets.ipv6;
import static dev.droptop.testing.Packets.tcpSyn;
import static dev.droptop.testing.Packets.udp;
import static dev.droptop.testing.Packets.v6;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The header decoder on packets built in code (dev.droptop.testing.Packets): hand-made, not recorded. */
class PacketHeadersTest {
    private static final int[] A = addr(198, 18, 0, 1);
    private static final int[] B = addr(198, 18, 1, 1);

    @Test
    void udpOverIpv4() {
        PacketHeaders.Decoded d = PacketHeaders.decode(ipv4(17, A, B, 0, udp(40000, 9, 10)));
        assertEquals(new Flow("198.18.0.1", "198.18.1.1", 40000, 9, 17), d.flow());
        assertEquals(4, d.version());
        assertFalse(d.fragment());
        assertEquals("198.18.0.1:40000 > 198.18.1.1:9 udp", d.flow().toString());
    }

    @Test
    void ipv4OptionsAreSkipped() {
        PacketHeaders.Decoded d = PacketHeaders.decode(ipv4WithOptions(6, A, B, tcpSyn(1234, 80)));
        assertEquals(new Flow("198.18.0.1", "198.18.1.1", 1234, 80, 6), d.flow());
    }

    @Test
    void ipv4Fragments() {
        // first fragment (MF set, offset 0): ports readable; later fragment (offset 185): none
        PacketHeaders.Decoded first = PacketHeaders.decode(ipv4(17, A, B, 0x2000, udp(5000, 53, 64)));
        assertTrue(first.fragment());
        assertEquals(5000, first.flow().sport());
        PacketHeaders.Decoded later = PacketHeaders.decode(ipv4(17, A, B, 185, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}));
        assertTrue(later.fragment());
        assertEquals(new Flow("198.18.0.1", "198.18.1.1", -1, -1, 17), later.flow());
    }

    @Test
    void icmpErrorNamesTheQuotedConnection() {
        // port unreachable from B about A's UDP datagram to B:9
        byte[] quoted = ipv4(17, A, B, 0, udp(40000, 9, 0));
        PacketHeaders.Decoded d = PacketHeaders.decode(ipv4(1, B, A, 0, icmp(3, 3, quoted)));
        assertEquals(new Flow("198.18.1.1", "198.18.0.1", 3, 3, 1), d.flow());
        assertEquals(new Flow("198.18.0.1", "198.18.1.1", 40000, 9, 17), d.inner());
        assertEquals("198.18.1.1 > 198.18.0.1 icmp", d.flow().toString());
        // an echo request is no error: no inner packet
        assertNull(PacketHeaders.decode(ipv4(1, A, B, 0, icmp(8, 0, new byte[32]))).inner());
    }

    @Test
    void icmpv6ErrorWithInnerTcp() {
        byte[] inner = ipv6(6, v6("1"), v6("2"), tcpSyn(33000, 443));
        PacketHeaders.Decoded d = PacketHeaders.decode(ipv6(58, v6("2"), v6("1"), icmp(1, 4, inner)));
        assertEquals(new Flow("2001:db8::2", "2001:db8::1", 1, 4, 58), d.flow());
        assertEquals(new Flow("2001:db8::1", "2001:db8::2", 33000, 443, 6), d.inner());
    }

    @Test
    void ipv6ExtensionHeadersAreWalked() {
        // hop-by-hop -> destination options -> routing -> UDP
        byte[] payload = ext8(60, ext8(43, ext8(17, udp(546, 547, 4))));
        PacketHeaders.Decoded d = PacketHeaders.decode(ipv6(0, v6("a"), v6("b"), payload));
        assertEquals(new Flow("2001:db8::a", "2001:db8::b", 546, 547, 17), d.flow());
        assertFalse(d.fragment());
    }

    @Test
    void ipv6Fragments() {
        PacketHeaders.Decoded first = PacketHeaders.decode(ipv6(44, v6("a"), v6("b"), fragment6(17, 0, true, udp(7, 8, 16))));
        assertTrue(first.fragment());
        assertEquals(new Flow("2001:db8::a", "2001:db8::b", 7, 8, 17), first.flow());
        PacketHeaders.Decoded later = PacketHeaders.decode(ipv6(44, v6("a"), v6("b"), fragment6(17, 3, false, new byte[24])));
        assertTrue(later.fragment());
        assertEquals(new Flow("2001:db8::a", "2001:db8::b", -1, -1, 17), later.flow());
    }

    @Test
    void arpIsNotIp() {
        PacketHeaders.Decoded d = PacketHeaders.decode(arp());
        assertEquals(0, d.version());
        assertNull(d.flow());
    }

    @Test
    void versionAloneAgreesWithDecode() {
        byte[] v4 = ipv4(17, A, B, 0, udp(40000, 9, 10));
        byte[] v6 = ipv6(6, v6("1"), v6("2"), tcpSyn(33000, 443));
        byte[] badIhl = v4.clone();
        badIhl[0] = 0x44;
        for (byte[] p : List.of(v4, v6, arp(), badIhl, new byte[0])) {
            for (int len = 0; len <= p.length; len++) {
                assertEquals(PacketHeaders.decode(p, 0, len).version(), PacketHeaders.version(p, 0, len), "length " + len);
            }
        }
        assertEquals(4, PacketHeaders.version(v4, 0, 20));
        assertEquals(0, PacketHeaders.version(v4, 0, 19));
        assertEquals(6, PacketHeaders.version(v6, 0, 40));
        assertEquals(0, PacketHeaders.version(v6, 0, 39));
        assertEquals(0, PacketHeaders.version(badIhl, 0, badIhl.length));
    }

    @Test
    void truncatedHeadersKeepWhatIsThere() {
        byte[] full = ipv4(6, A, B, 0, tcpSyn(1, 2));
        PacketHeaders.Decoded d = PacketHeaders.decode(Arrays.copyOf(full, 22));
        assertTrue(d.truncated());
        assertEquals(new Flow("198.18.0.1", "198.18.1.1", -1, -1, 6), d.flow());
        assertNull(PacketHeaders.decode(Arrays.copyOf(full, 19)).flow());
        byte[] v6ext = ipv6(0, v6("a"), v6("b"), ext8(17, udp(1, 2, 0)));
        PacketHeaders.Decoded e = PacketHeaders.decode(Arrays.copyOf(v6ext, 41));
        assertTrue(e.truncated());
        assertEquals(0, e.flow().proto()); // stuck at the hop-by-hop header
    }

    @Test
    void ipv6TextFollowsRfc5952() {
        byte[] a = new byte[16];
        assertEquals("::", PacketHeaders.ipv6(a, 0));
        a[15] = 1;
        assertEquals("::1", PacketHeaders.ipv6(a, 0));
        byte[] b = {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1};
        assertEquals("2001:db8:0:1::1", PacketHeaders.ipv6(b, 0));
        byte[] c = {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1};
        assertEquals("2001:db8::1:0:0:1", PacketHeaders.ipv6(c, 0)); // first of two equal runs
    }

    @Test
    void neverThrowsOnNoise() {
        SplittableRandom r = new SplittableRandom(15);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[r.nextInt(0, 140)];
            for (int k = 0; k < b.length; k++) {
                b[k] = (byte) r.nextInt(256);
            }
            if (b.length > 0 && r.nextBoolean()) {
                b[0] = (byte) (r.nextBoolean() ? 0x45 : 0x60);
            }
            PacketHeaders.decode(b);
        }
        assertNull(PacketHeaders.decode(concat()).flow());
    }
}
