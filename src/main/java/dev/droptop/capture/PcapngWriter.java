package dev.droptop.capture;

import java.io.ByteArrayOutputStream;
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
 * that ends at a block boundary, which tshark reads to its last packet. Host byte order is not
 * assumed: the file is little-endian, as its byte-order magic says.
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
    private final ByteArrayOutputStream batch = new ByteArrayOutputStream(BATCH_BYTES + 4096);
    private final Map<String, Integer> interfaces = new HashMap<>();
    private long packets;
    private boolean closed;

    /** Writes the section header; {@code out} should be unbuffered (see the class comment). */
    public PcapngWriter(OutputStream out, String application, int snaplen) throws IOException {
        this.out = out;
        this.snaplen = snaplen;
        Block b = new Block(SHB);
        b.i32(0x1A2B3C4D).i16(1).i16(0).i64(-1L);
        b.option(SHB_USERAPPL, utf8(application));
        b.end(batch);
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
        writeBlock(iface(netns, device, LINKTYPE_RAW), epochNanos, origLength, data, off, len, comment);
    }

    /**
     * A packet that is not IP, from its network header (an ARP request, ...): written to the device's
     * Ethernet-typed interface ({@code dev@netns (non-IP)}) behind a made-up Ethernet header (zero MAC
     * addresses, {@code ethertype} from skb->protocol), so Wireshark dissects it as that protocol.
     */
    public void writeNonIp(long epochNanos, String netns, String device, int ethertype, int origLength, byte[] data,
            int off, int len, String comment) throws IOException {
        byte[] framed = new byte[14 + len];
        framed[12] = (byte) (ethertype >> 8);
        framed[13] = (byte) ethertype;
        System.arraycopy(data, off, framed, 14, len);
        writeBlock(iface(netns, device, LINKTYPE_ETHERNET), epochNanos, origLength + 14, framed, 0, framed.length,
                comment);
    }

    private void writeBlock(int iface, long epochNanos, int origLength, byte[] data, int off, int len, String comment)
            throws IOException {
        Block b = new Block(EPB);
        b.i32(iface).i32((int) (epochNanos >>> 32)).i32((int) epochNanos).i32(len).i32(Math.max(origLength, len));
        b.bytes(data, off, len).pad();
        if (comment != null && !comment.isEmpty()) {
            b.option(OPT_COMMENT, utf8(comment));
        }
        b.end(batch);
        packets++;
        if (batch.size() >= BATCH_BYTES) {
            flush();
        }
    }

    public long packets() {
        return packets;
    }

    /** Hands every whole block assembled so far to the file, in one write. */
    public void flush() throws IOException {
        if (batch.size() > 0) {
            batch.writeTo(out);
            batch.reset();
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
        b.end(batch);
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

        void end(ByteArrayOutputStream to) {
            if (options) {
                i32(0); // opt_endofopt (code 0, length 0)
            }
            int total = buf.position() + 4;
            buf.putInt(4, total);
            i32(total);
            to.write(buf.array(), 0, buf.position());
        }
    }
}
