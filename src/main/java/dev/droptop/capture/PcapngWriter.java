package dev.droptop.capture;

import java.io.Closeable;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes dropped packets as pcapng (IETF draft-ietf-opsawg-pcapng) for Wireshark and tshark: one
 * section header block, one interface description block per (netns, device) named
 * {@code device@netns}, link type RAW (101: the packet starts at its IPv4 or IPv6 header), and one
 * enhanced packet block per packet with a nanosecond timestamp ({@code if_tsresol} = 9) and an
 * {@code opt_comment} such as {@code drop reason=NO_SOCKET location=__udp4_lib_rcv+0x4bc netns=ns1 dev=veth1}.
 *
 * <p>Crash-safe by construction: blocks are assembled in memory and handed to the file in one
 * {@code write} per batch of whole blocks ({@link #flush()}, or when the batch passes
 * {@value #BATCH_BYTES} bytes), on an unbuffered stream. A {@code kill -9} therefore leaves a file
 * that ends at a block boundary, which tshark reads to its last packet. The price is what the batch
 * holds: packets written since the last flush (the caller flushes once per interval; at most
 * {@value #BATCH_BYTES} bytes, ~250 packets of 128 bytes with their comments) are lost with the
 * process. Flushing per packet would cost a system call a packet for no gain in what tshark can
 * read. Host byte order is not assumed: the file is little-endian, as its byte-order magic says.
 *
 * <p>A packet block is written straight into the batch (no block object, no copy of the comment
 * when the caller passes it encoded), and the interface of the previous packet is remembered, so a
 * packet costs its copy and a few stores.
 */
public final class PcapngWriter implements Closeable {
    public static final int LINKTYPE_RAW = 101;
    /** For packets that are not IP (ARP, ...): an Ethernet header is put in front (see {@link #writeNonIp}). */
    public static final int LINKTYPE_ETHERNET = 1;
    static final int BATCH_BYTES = 64 * 1024;
    private static final int SHB = 0x0A0D0D0A;
    private static final int IDB = 1;
    private static final int EPB = 6;
    private static final int OPT_COMMENT = 1;
    private static final int SHB_USERAPPL = 4;
    private static final int IF_NAME = 2;
    private static final int IF_DESCRIPTION = 3;
    private static final int IF_TSRESOL = 9;
    private static final int MAX_OPTION = 0xffff;

    private final OutputStream out;
    private final int snaplen;
    /** Whole blocks not yet handed to the file: {@code batch[0, batchSize)}. */
    private byte[] batch = new byte[BATCH_BYTES + 4096];
    private int batchSize;
    private final Map<String, Integer> interfaces = new HashMap<>();
    // the interface of the previous packet (identity first: callers pass the same strings again)
    private String lastNetns;
    private String lastDevice;
    private int lastLinktype = -1;
    private int lastIface;
    private long packets;
    private boolean closed;

    /** Writes the section header; {@code out} should be unbuffered (see the class comment). */
    public PcapngWriter(OutputStream out, String application, int snaplen) throws IOException {
        this.out = out;
        this.snaplen = snaplen;
        Block b = new Block(SHB);
        b.i32(0x1A2B3C4D).i16(1).i16(0).i64(-1L);
        b.option(SHB_USERAPPL, utf8(application));
        b.end(this);
        flush();
    }

    /** A new file (replacing any), opened unbuffered. */
    public static PcapngWriter create(Path file, String application, int snaplen) throws IOException {
        FileOutputStream fos = new FileOutputStream(file.toFile());
        try {
            return new PcapngWriter(fos, application, snaplen);
        } catch (IOException e) {
            fos.close();
            throw e;
        }
    }

    /**
     * One packet. {@code epochNanos} is the wall-clock time (ns since 1970), {@code data[off, off+len)}
     * the captured bytes from the network header, {@code origLength} the packet's length from there.
     */
    public void write(long epochNanos, String netns, String device, int origLength, byte[] data, int off, int len,
            String comment) throws IOException {
        write(epochNanos, netns, device, origLength, data, off, len, comment(comment));
    }

    /** {@link #write(long, String, String, int, byte[], int, int, String)} with the comment in UTF-8 ({@link #comment}). */
    public void write(long epochNanos, String netns, String device, int origLength, byte[] data, int off, int len,
            byte[] comment) throws IOException {
        int iface = iface(netns, device, LINKTYPE_RAW);
        int at = startPacket(iface, epochNanos, origLength, len, comment);
        System.arraycopy(data, off, batch, at, len);
        endPacket(at + len, comment);
    }

    /**
     * A packet that is not IP, from its network header (an ARP request, ...): written to the device's
     * Ethernet-typed interface ({@code dev@netns (non-IP)}) behind a made-up Ethernet header (zero MAC
     * addresses, {@code ethertype} from skb->protocol), so Wireshark dissects it as that protocol.
     */
    public void writeNonIp(long epochNanos, String netns, String device, int ethertype, int origLength, byte[] data,
            int off, int len, String comment) throws IOException {
        writeNonIp(epochNanos, netns, device, ethertype, origLength, data, off, len, comment(comment));
    }

    /** {@link #writeNonIp(long, String, String, int, int, byte[], int, int, String)} with the comment in UTF-8. */
    public void writeNonIp(long epochNanos, String netns, String device, int ethertype, int origLength, byte[] data,
            int off, int len, byte[] comment) throws IOException {
        int iface = iface(netns, device, LINKTYPE_ETHERNET);
        int at = startPacket(iface, epochNanos, origLength + 14, 14 + len, comment);
        java.util.Arrays.fill(batch, at, at + 12, (byte) 0);
        batch[at + 12] = (byte) (ethertype >> 8);
        batch[at + 13] = (byte) ethertype;
        System.arraycopy(data, off, batch, at + 14, len);
        endPacket(at + 14 + len, comment);
    }

    /** A packet comment as this writer stores it: UTF-8, cut to what an option holds; null for none. */
    public static byte[] comment(String comment) {
        return comment == null || comment.isEmpty() ? null : utf8(comment);
    }

    /**
     * Makes room for an enhanced packet block of {@code capLength} captured bytes and writes its head;
     * returns where the packet bytes go.
     */
    private int startPacket(int iface, long epochNanos, int origLength, int capLength, byte[] comment) {
        int total = 32 + pad4(capLength) + (comment == null ? 0 : 4 + pad4(comment.length) + 4);
        room(total);
        int p = batchSize;
        le32(p, EPB);
        le32(p + 4, total);
        le32(p + 8, iface);
        le32(p + 12, (int) (epochNanos >>> 32));
        le32(p + 16, (int) epochNanos);
        le32(p + 20, capLength);
        le32(p + 24, Math.max(origLength, capLength));
        return p + 28;
    }

    /** Pads the packet bytes ending at {@code end}, adds the comment option and the trailing length. */
    private void endPacket(int end, byte[] comment) throws IOException {
        int p = zeroPad(end);
        if (comment != null) {
            le16(p, OPT_COMMENT);
            le16(p + 2, comment.length);
            System.arraycopy(comment, 0, batch, p + 4, comment.length);
            p = zeroPad(p + 4 + comment.length);
            le32(p, 0); // opt_endofopt
            p += 4;
        }
        int total = p + 4 - batchSize;
        le32(p, total);
        batchSize = p + 4;
        packets++;
        if (batchSize >= BATCH_BYTES) {
            flush();
        }
    }

    /** Zeros up to the next multiple of 4 (blocks start at one: every block's length is one). */
    private int zeroPad(int p) {
        int end = pad4(p);
        while (p < end) {
            batch[p++] = 0;
        }
        return p;
    }

    private static int pad4(int n) {
        return (n + 3) & ~3;
    }

    private void room(int n) {
        if (batchSize + n > batch.length) {
            batch = java.util.Arrays.copyOf(batch, Math.max(batch.length * 2, batchSize + n));
        }
    }

    private void le16(int p, int v) {
        batch[p] = (byte) v;
        batch[p + 1] = (byte) (v >>> 8);
    }

    private void le32(int p, int v) {
        batch[p] = (byte) v;
        batch[p + 1] = (byte) (v >>> 8);
        batch[p + 2] = (byte) (v >>> 16);
        batch[p + 3] = (byte) (v >>> 24);
    }

    public long packets() {
        return packets;
    }

    /** Hands every whole block assembled so far to the file, in one write. */
    public void flush() throws IOException {
        if (batchSize > 0) {
            int n = batchSize;
            batchSize = 0; // a failed write is not retried: the file may hold part of it already
            out.write(batch, 0, n);
        }
        out.flush();
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            flush();
        } finally {
            out.close();
        }
    }

    private int iface(String netns, String device, int linktype) {
        if (linktype == lastLinktype && same(netns, lastNetns) && same(device, lastDevice)) {
            return lastIface;
        }
        lastIface = newIface(netns, device, linktype);
        lastNetns = netns;
        lastDevice = device;
        lastLinktype = linktype;
        return lastIface;
    }

    private static boolean same(String a, String b) {
        return a == b || a != null && a.equals(b);
    }

    private int newIface(String netns, String device, int linktype) {
        String dev = device == null || device.isEmpty() ? "?" : device;
        String ns = netns == null || netns.isEmpty() ? "?" : netns;
        String name = dev + "@" + ns + (linktype == LINKTYPE_RAW ? "" : " (non-IP)");
        Integer id = interfaces.get(name);
        if (id != null) {
            return id;
        }
        id = interfaces.size();
        interfaces.put(name, id);
        Block b = new Block(IDB);
        b.i16(linktype).i16(0).i32(snaplen + (linktype == LINKTYPE_RAW ? 0 : 14));
        b.option(IF_NAME, utf8(name));
        b.option(IF_DESCRIPTION, utf8("droptop drops: device " + dev + " in network namespace " + ns));
        b.option(IF_TSRESOL, new byte[] {9});
        b.end(this);
        return id;
    }

    private static byte[] utf8(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length <= MAX_OPTION) {
            return b;
        }
        // cut at a character boundary so the option stays valid UTF-8
        int n = MAX_OPTION;
        while (n > 0 && (b[n] & 0xc0) == 0x80) {
            n--;
        }
        return java.util.Arrays.copyOf(b, n);
    }

    /** One block: type, length, body, options, length again; all little-endian, 32-bit aligned. */
    private static final class Block {
        private ByteBuffer buf = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
        private boolean options;

        Block(int type) {
            buf.putInt(type).putInt(0);
        }

        Block i16(int v) {
            room(2).putShort((short) v);
            return this;
        }

        Block i32(int v) {
            room(4).putInt(v);
            return this;
        }

        Block i64(long v) {
            room(8).putLong(v);
            return this;
        }

        Block bytes(byte[] d, int off, int len) {
            room(len).put(d, off, len);
            return this;
        }

        Block pad() {
            int n = (4 - buf.position() % 4) % 4;
            room(n).put(new byte[n]);
            return this;
        }

        Block option(int code, byte[] value) {
            options = true;
            return i16(code).i16(value.length).bytes(value, 0, value.length).pad();
        }

        private ByteBuffer room(int n) {
            if (buf.remaining() < n) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + n + 64))
                        .order(ByteOrder.LITTLE_ENDIAN);
                bigger.put(buf.array(), 0, buf.position());
                buf = bigger;
            }
            return buf;
        }

        void end(PcapngWriter to) {
            if (options) {
                i32(0); // opt_endofopt (code 0, length 0)
            }
            int total = buf.position() + 4;
            buf.putInt(4, total);
            i32(total);
            to.room(buf.position());
            System.arraycopy(buf.array(), 0, to.batch, to.batchSize, buf.position());
            to.batchSize += buf.position();
        }
    }
}
