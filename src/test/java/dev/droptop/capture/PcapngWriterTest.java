package dev.droptop.capture;

import static dev.droptop.testing.Packets.addr;
import static dev.droptop.testing.Packets.arp;
import static dev.droptop.testing.Packets.ipv4;
import static dev.droptop.testing.Packets.ipv6;
import static dev.droptop.testing.Packets.tcpSyn;
import static dev.droptop.testing.Packets.udp;
import static dev.droptop.testing.Packets.v6;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.droptop.testing.KernelTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pcapng writer, read back by tshark (Debian tshark; bin/test installs it) and by its own layout. */
class PcapngWriterTest {
    private static final long T0 = 1_795_000_000_123_456_789L; // 2026-11-18, ns since 1970
    @TempDir
    Path dir;

    @Test
    void tsharkReadsPacketsInterfacesAndComments() throws Exception {
        KernelTest.assumeTool("tshark", "tshark");
        Path f = dir.resolve("drops.pcapng");
        try (PcapngWriter w = PcapngWriter.create(f, "droptop test", 128)) {
            byte[] u = ipv4(17, addr(198, 18, 0, 1), addr(198, 18, 1, 1), 0, udp(40000, 9, 100));
            w.write(T0, "ns-a", "veth1", u.length, u, 0, 64, "drop reason=NO_SOCKET location=__udp4_lib_rcv+0x4bc netns=ns-a dev=veth1");
            byte[] t = ipv6(6, v6("1"), v6("2"), tcpSyn(33000, 443));
            w.write(T0 + 1000, "ns-b", "eth0", t.length, t, 0, t.length, "drop reason=NETFILTER_DROP location=nf_hook_slow+0x7d");
            w.write(T0 + 2000, "ns-a", "veth1", u.length, u, 0, u.length, "drop reason=NO_SOCKET");
            byte[] a = arp();
            w.writeNonIp(T0 + 3000, "", "", 0x0806, a.length, a, 0, a.length, "drop reason=NOT_SPECIFIED");
            assertEquals(4, w.packets());
        }
        List<String> lines = tshark(f, "frame.interface_name", "frame.comment", "ip.src", "ipv6.dst", "udp.dstport",
                "tcp.dstport", "frame.len", "frame.cap_len", "frame.time_epoch");
        assertEquals(4, lines.size(), lines.toString());
        assertEquals(List.of("veth1@ns-a", "drop reason=NO_SOCKET location=__udp4_lib_rcv+0x4bc netns=ns-a dev=veth1",
                "198.18.0.1", "", "9", "", "128", "64", "1795000000.123456789"), fields(lines.get(0)));
        assertEquals(List.of("eth0@ns-b", "drop reason=NETFILTER_DROP location=nf_hook_slow+0x7d", "", "2001:db8::2", "",
                "443", "60", "60", "1795000000.123457789"), fields(lines.get(1)));
        assertEquals("veth1@ns-a", fields(lines.get(2)).get(0));
        assertEquals("?@? (non-IP)", fields(lines.get(3)).get(0));
        List<String> arp = tshark(f, "frame.protocols", "arp.dst.proto_ipv4");
        assertEquals(List.of("eth:ethertype:arp", "198.18.0.2"), fields(arp.get(3)));
    }

    @Test
    void everyBlockBoundaryIsAReadableFileAndATornBlockKeepsThePacketsBefore() throws Exception {
        KernelTest.assumeTool("tshark", "tshark");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Integer> ends = new ArrayList<>();
        try (PcapngWriter w = new PcapngWriter(out, "droptop test", 128)) {
            ends.add(out.size());
            for (int i = 0; i < 5; i++) {
                byte[] u = ipv4(17, addr(198, 18, 0, 1), addr(198, 18, 1, 1), 0, udp(40000 + i, 9, 20));
                w.write(T0 + i, "ns", "veth" + (i % 2), u.length, u, 0, u.length, "drop reason=NO_SOCKET n=" + i);
                w.flush();
                ends.add(out.size());
            }
        }
        byte[] all = out.toByteArray();
        for (int i = 0; i < ends.size(); i++) {
            Path cut = dir.resolve("cut" + i + ".pcapng");
            Files.write(cut, Arrays.copyOf(all, ends.get(i)));
            Result r = run(cut, "udp.srcport");
            assertEquals(0, r.rc, "whole blocks only: " + r.err);
            assertEquals(i, r.lines.size(), "packets in a file of " + i + " whole packet batches");
        }
        // a write torn mid-block (what a kill -9 could leave if a write were split): tshark still
        // shows every packet before it, then says the file was cut short
        Path torn = dir.resolve("torn.pcapng");
        Files.write(torn, Arrays.copyOf(all, ends.get(3) + 30));
        Result r = run(torn, "udp.srcport");
        assertEquals(List.of("40000", "40001", "40002"), r.lines);
        assertTrue(r.err.contains("cut short"), r.err);
    }

    @Test
    void layoutIsLittleEndianAndFourByteAligned() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PcapngWriter w = new PcapngWriter(out, "x", 96)) {
            byte[] p = {0x45, 0, 0, 21, 0};
            w.write(0, "n", "d", 5, p, 0, 5, "c");
        }
        byte[] b = out.toByteArray();
        assertEquals(0, b.length % 4);
        int pos = 0;
        List<Integer> types = new ArrayList<>();
        while (pos < b.length) {
            int type = le32(b, pos);
            int len = le32(b, pos + 4);
            assertEquals(len, le32(b, pos + len - 4), "trailing length of block at " + pos);
            assertEquals(0, len % 4);
            types.add(type);
            pos += len;
        }
        assertEquals(List.of(0x0A0D0D0A, 1, 6), types);
        assertEquals(0x1A2B3C4D, le32(b, 8));
    }

    @Test
    void packetBlocksHoldTheirBytesCommentsAndInterfacesAcrossBatches() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<byte[]> sent = new ArrayList<>();
        List<String> comments = new ArrayList<>();
        int n = 2000; // ~ 4 batches of BATCH_BYTES
        try (PcapngWriter w = new PcapngWriter(out, "x", 128)) {
            for (int i = 0; i < n; i++) {
                byte[] p = new byte[i % 131];
                for (int k = 0; k < p.length; k++) {
                    p[k] = (byte) (i * 7 + k);
                }
                String c = i % 9 == 0 ? "" : "drop n=" + "x".repeat(i % 7) + i;
                String dev = i % 3 == 0 ? "veth0" : "veth1";
                if (i % 5 == 4) {
                    w.writeNonIp(T0 + i, "ns", dev, 0x0806, p.length + 3, p, 0, p.length, PcapngWriter.comment(c));
                    byte[] framed = new byte[14 + p.length];
                    framed[12] = 0x08;
                    framed[13] = 0x06;
                    System.arraycopy(p, 0, framed, 14, p.length);
                    sent.add(framed);
                } else if (i % 2 == 0) {
                    w.write(T0 + i, "ns", dev, p.length + 3, p, 0, p.length, c);
                    sent.add(p);
                } else {
                    w.write(T0 + i, "ns", dev, p.length + 3, p, 0, p.length, PcapngWriter.comment(c));
                    sent.add(p);
                }
                comments.add(c);
            }
            assertTrue(out.size() > 2 * PcapngWriter.BATCH_BYTES, "batches were handed over before close");
        }
        byte[] b = out.toByteArray();
        List<String> ifaces = new ArrayList<>();
        int pos = 0;
        int i = 0;
        while (pos < b.length) {
            int type = le32(b, pos);
            int len = le32(b, pos + 4);
            assertEquals(0, len % 4);
            assertEquals(len, le32(b, pos + len - 4), "trailing length of block at " + pos);
            if (type == 1) {
                int optLen = (b[pos + 18] & 0xff) | (b[pos + 19] & 0xff) << 8; // if_name, the first option
                ifaces.add(new String(b, pos + 20, optLen, StandardCharsets.UTF_8));
            } else if (type == 6) {
                int iface = le32(b, pos + 8);
                long ts = (le32(b, pos + 12) & 0xffffffffL) << 32 | le32(b, pos + 16) & 0xffffffffL;
                int cap = le32(b, pos + 20);
                byte[] want = sent.get(i);
                assertEquals(T0 + i, ts);
                assertEquals(want.length, cap, "packet " + i);
                assertEquals(want.length + 3, le32(b, pos + 24), "original length of packet " + i);
                assertTrue(Arrays.equals(want, Arrays.copyOfRange(b, pos + 28, pos + 28 + cap)), "bytes of packet " + i);
                String dev = i % 3 == 0 ? "veth0" : "veth1";
                assertEquals(dev + "@ns" + (i % 5 == 4 ? " (non-IP)" : ""), ifaces.get(iface), "interface of packet " + i);
                int opt = pos + 28 + (cap + 3) / 4 * 4;
                String comment = "";
                if (opt < pos + len - 4) {
                    assertEquals(1, (b[opt] & 0xff) | (b[opt + 1] & 0xff) << 8);
                    int cl = (b[opt + 2] & 0xff) | (b[opt + 3] & 0xff) << 8;
                    comment = new String(b, opt + 4, cl, StandardCharsets.UTF_8);
                    assertEquals(pos + len - 4, opt + 4 + (cl + 3) / 4 * 4 + 4, "end of options of packet " + i);
                }
                assertEquals(comments.get(i), comment);
                i++;
            }
            pos += len;
        }
        assertEquals(n, i);
        assertEquals(4, ifaces.size());
    }

    private static int le32(byte[] b, int i) {
        return b[i] & 0xff | (b[i + 1] & 0xff) << 8 | (b[i + 2] & 0xff) << 16 | (b[i + 3] & 0xff) << 24;
    }

    private static List<String> fields(String line) {
        return Arrays.asList(line.split("\t", -1));
    }

    private record Result(int rc, List<String> lines, String err) {
    }

    static List<String> tshark(Path f, String... fields) throws Exception {
        Result r = run(f, fields);
        assertEquals(0, r.rc, r.err);
        return r.lines;
    }

    private static Result run(Path f, String... fields) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", f.toString(), "-T", "fields"));
        for (String field : fields) {
            cmd.add("-e");
            cmd.add(field);
        }
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.PIPE).start();
        byte[] stdout = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "tshark did not end");
        String text = new String(stdout, StandardCharsets.UTF_8);
        List<String> lines = text.isEmpty() ? List.of() : Arrays.asList(text.split("\n"));
        return new Result(p.exitValue(), lines, err);
    }
}
