package dev.droptop.parse;

import dev.droptop.model.DropSink;
import dev.droptop.model.SymbolResolver;
import dev.droptop.model.TraceKernel;
import dev.droptop.model.TracepointLayout;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads perf's binary format (tools/perf/Documentation/perf.data-file-format.txt) straight into a
 * sink, without {@code perf script}: file mode ({@code perf record -o perf.data}) and pipe mode
 * ({@code perf record -o -}), both front to back from a stream.
 * <pre>
 * file: "PERFILE2" u64 size=104, u64 attr_size, {offset,size} attrs, data, event_types, features[4]
 *       ... ids, attrs (perf_event_attr + {offset,size} of its ids) ... data: records
 * pipe: "PERFILE2" u64 size=16, then records: HEADER_ATTR (attr + ids), HEADER_FEATURE,
 *       HEADER_TRACING_DATA (u32 size; the tracing data follows the record, padded to 8), SAMPLE ...
 * record: u32 type, u16 misc, u16 size (header included)
 * </pre>
 * Samples of kfree_skb become drops ({@link PerfSamples}); PERF_RECORD_LOST and LOST_SAMPLES go to
 * {@link DropSink#lost}; other record types are skipped by size, unknown ones counted. Without a
 * layout (see {@link #framing()}) it only follows the records: how far perf record has come. Input that
 * is not perf.data, or whose header is broken, ends in an IOException with a one-line message; a
 * torn last record is a counted warning. Nothing is allocated from a size read in the input beyond
 * {@link #MAX_HEADER_BYTES}.
 */
public final class PerfDataReader extends CountingParser {
    /** Cap on what precedes the data section of a file (ids and attrs), read into memory. */
    static final int MAX_HEADER_BYTES = 16 << 20;
    private static final long MAGIC = 0x32454c4946524550L; // "PERFILE2" read little-endian
    private static final long MAGIC_V1 = 0x454c494646524550L; // "PERFFILE"
    private static final int FILE_HEADER = 104;
    private static final int PIPE_HEADER = 16;
    private static final int MMAP = 1;
    private static final int LOST = 2;
    private static final int SAMPLE = 9;
    private static final int LOST_SAMPLES = 13;
    private static final int HEADER_ATTR = 64;
    private static final int HEADER_TRACING_DATA = 66;
    private static final int HEADER_BUILD_ID = 67;
    private static final int HEADER_FEATURE = 80;
    private static final int FEAT_BUILD_ID = 2;
    private static final int FEAT_OSRELEASE = 4;
    private static final int FEAT_VERSION = 5;
    private static final int MAX_FEATURE_BYTES = 1 << 20;
    private static final String KERNEL_DSO = "[kernel.kallsyms]";
    private static final int COMPRESSED = 81;
    private static final int FINISHED_INIT = 82;
    private static final int LAST_KNOWN = 82;

    private final SymbolResolver resolver;
    private final TracepointLayout layout;
    private final PerfSamples samples;
    private final List<PerfAttr> attrs = new ArrayList<>();
    private final long[] time = new long[1];
    private long records;
    private boolean pipe;
    private volatile boolean recording;
    private volatile String perfVersion;

    public PerfDataReader(SymbolResolver resolver, TracepointLayout layout) {
        this.resolver = resolver;
        this.layout = layout;
        this.samples = new PerfSamples(resolver, layout, warnings);
    }

    /**
     * A reader that decodes no sample and reports no drop or lost count, only follows the records for
     * {@link #recording()} and {@link #perfVersion()} ({@link #follow}): for perf record's output on its
     * way to {@code perf script}, which counts the drops.
     */
    public static PerfDataReader framing() {
        return new PerfDataReader(SymbolResolver.NONE, null);
    }

    /** A {@link #framing()} reader's parse: reads {@code in} to its end, telling no sink anything. */
    public void follow(InputStream in) throws IOException {
        if (layout != null) {
            throw new IllegalStateException("follow() is for a framing() reader");
        }
        read(Channels.newChannel(in), null);
    }

    /**
     * True once the input shows that perf record's events are enabled, so every later event is in the
     * stream: its PERF_RECORD_FINISHED_INIT, which perf 6.0 and later write right after enabling them
     * (perf 6.1 here: the header and about 470 synthesized records come 40-210 ms before it, from
     * events opened disabled), or a first sample or lost count. Safe to read from another thread.
     */
    public boolean recording() {
        return recording;
    }

    /** perf's version from pipe mode's VERSION feature ({@code 6.1.187}), or null (not yet, or none). */
    public String perfVersion() {
        return perfVersion;
    }

    /** Records read (all types). */
    public long records() {
        return records;
    }

    /** True when the input was pipe mode. */
    public boolean pipeMode() {
        return pipe;
    }

    @Override
    public void parse(InputStream in, DropSink sink) throws IOException {
        read(Channels.newChannel(in), sink);
    }

    /** Reads perf.data of either mode from its first byte to its end. */
    public void read(ReadableByteChannel in, DropSink sink) throws IOException {
        PerfBytes bytes = new PerfBytes(in);
        if (!bytes.ensure(PIPE_HEADER)) {
            throw new IOException("not perf.data: shorter than its 16-byte header");
        }
        ByteBuffer b = bytes.buf();
        long magic = b.getLong(0);
        if (magic == Long.reverseBytes(MAGIC)) {
            bytes.order(ByteOrder.BIG_ENDIAN);
        } else if (magic == MAGIC_V1) {
            throw new IOException("perf.data version 1 (PERFFILE) is not supported, only PERFILE2");
        } else if (magic != MAGIC) {
            throw new IOException("not perf.data: wrong magic (expected PERFILE2)");
        }
        long size = b.getLong(8);
        if (size == PIPE_HEADER) {
            pipe = true;
            bytes.advance(PIPE_HEADER);
            records(bytes, Long.MAX_VALUE, sink);
        } else if (size >= FILE_HEADER && size <= 4096) {
            if (in instanceof FileChannel) {
                features((FileChannel) in, b);
            }
            long dataSize = fileHeader(bytes, (int) size);
            records(bytes, dataSize == 0 ? Long.MAX_VALUE : dataSize, sink);
        } else {
            throw new IOException("perf.data header of absurd size " + size);
        }
    }

    /**
     * File mode: the kernel's release and build-id from the feature sections after the data
     * ({@code adds_features} bitmap at header offset 72; one {@code {offset, size}} per set bit),
     * read by position before the records, so they are known before the first sample.
     */
    private void features(FileChannel ch, ByteBuffer header) throws IOException {
        long featOff = header.getLong(40) + header.getLong(48);
        if (featOff <= 0 || header.getLong(48) < 0) {
            return;
        }
        int index = 0;
        for (int bit = 0; bit < 256; bit++) {
            if ((header.getLong(72 + 8 * (bit / 64)) >>> (bit % 64) & 1) == 0) {
                continue;
            }
            if (bit == FEAT_BUILD_ID || bit == FEAT_OSRELEASE) {
                ByteBuffer sec = positional(ch, featOff + 16L * index, 16, header.order());
                if (sec != null) {
                    long off = sec.getLong(0);
                    long len = sec.getLong(8);
                    ByteBuffer data = len > 0 && len <= MAX_FEATURE_BYTES && off > 0
                            ? positional(ch, off, (int) len, header.order()) : null;
                    if (data != null) {
                        feature(bit, data, 0, (int) len);
                    }
                }
            }
            index++;
        }
    }

    private static ByteBuffer positional(FileChannel ch, long at, int n, ByteOrder order) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n).order(order);
        while (b.hasRemaining()) {
            if (ch.read(b, at + b.position()) < 0) {
                return null;
            }
        }
        return b.flip();
    }

    /**
     * One feature's data {@code [p, end)}: OSRELEASE or VERSION (a perf string) or BUILD_ID (build-id
     * records).
     */
    private void feature(int feat, ByteBuffer b, int p, int end) {
        if ((feat == FEAT_OSRELEASE || feat == FEAT_VERSION) && end - p >= 4) {
            int len = b.getInt(p);
            if (len > 0 && len <= end - p - 4) {
                String text = cString(b, p + 4, p + 4 + len);
                if (feat == FEAT_VERSION) {
                    perfVersion = text;
                } else {
                    resolver.traceKernel(TraceKernel.ofRelease(text));
                }
            }
        } else if (feat == FEAT_BUILD_ID) {
            while (end - p >= 8) {
                int size = b.getShort(p + 6) & 0xFFFF;
                if (size < 8 || size > end - p) {
                    return;
                }
                buildId(b, p, p + size);
                p += size;
            }
        }
    }

    /** A build-id record ({@code header, pid, u8 build_id[24] (size at [20] when misc bit 15), filename}). */
    private void buildId(ByteBuffer b, int p, int end) {
        if (end - p < 8 + 4 + 24 + 1) {
            return;
        }
        int misc = b.getShort(p + 4) & 0xFFFF;
        int n = (misc & 0x8000) != 0 ? b.get(p + 12 + 20) & 0xFF : 20;
        if (n == 0 || n > 20 || (misc & 7) != 1 || !cString(b, p + 36, end).equals(KERNEL_DSO)) {
            return;
        }
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int x = b.get(p + 12 + i) & 0xFF;
            hex.append(Character.forDigit(x >> 4, 16)).append(Character.forDigit(x & 0xF, 16));
        }
        resolver.traceKernel(TraceKernel.ofBuildId(hex.toString()));
    }

    /**
     * PERF_RECORD_MMAP of the kernel ({@code pid -1, "[kernel.kallsyms]_text"}): pgoff is the
     * address of {@code _text} at recording, start + len the end of its text.
     */
    private void mmap(ByteBuffer b, int p, int end) {
        if (end - p < 8 + 32 + 1 || b.getInt(p + 8) != -1) {
            return;
        }
        String name = cString(b, p + 40, end);
        if (!name.startsWith(KERNEL_DSO)) {
            return;
        }
        long start = b.getLong(p + 16);
        long len = b.getLong(p + 24);
        long pgoff = b.getLong(p + 32);
        long text = name.length() > KERNEL_DSO.length() && pgoff != 0 ? pgoff : start;
        long size = start + len - text;
        resolver.traceKernel(new TraceKernel(null, null, text, size > 0 && size < (1L << 32) ? size : 0));
    }

    private static String cString(ByteBuffer b, int from, int end) {
        StringBuilder s = new StringBuilder();
        for (int i = from; i < end && s.length() < 256; i++) {
            byte c = b.get(i);
            if (c == 0) {
                break;
            }
            s.append((char) (c & 0xFF));
        }
        return s.toString();
    }

    /** Reads the file header, ids and attrs; leaves {@code bytes} at the data section; returns its size. */
    private long fileHeader(PerfBytes bytes, int headerSize) throws IOException {
        if (!bytes.ensure(headerSize)) {
            throw new IOException("truncated perf.data: the file ends inside its header");
        }
        ByteBuffer b = bytes.buf();
        long attrSize = b.getLong(16);
        long attrsOff = b.getLong(24);
        long attrsSize = b.getLong(32);
        long dataOff = b.getLong(40);
        long dataSize = b.getLong(48);
        if (dataOff < headerSize || dataOff > MAX_HEADER_BYTES || dataSize < 0) {
            throw new IOException("perf.data header with an absurd data section (offset " + dataOff + ", size "
                    + dataSize + ")");
        }
        if (attrSize < PerfAttr.MIN_SIZE + 16 || attrSize > 4096 || attrsSize % attrSize != 0
                || attrsSize < 0 || attrsOff < headerSize || attrsOff > dataOff || attrsSize > dataOff - attrsOff) {
            // (each bound apart: attrsOff + attrsSize may overflow)
            throw new IOException("perf.data header with an absurd attr section (entry size " + attrSize
                    + ", offset " + attrsOff + ", size " + attrsSize + ")");
        }
        bytes.advance(headerSize);
        int pre = (int) dataOff - headerSize;
        byte[] head;
        try {
            head = bytes.take(pre);
        } catch (java.io.EOFException e) {
            throw new IOException("truncated perf.data: the file ends before its data section");
        }
        ByteBuffer h = ByteBuffer.wrap(head).order(b.order());
        for (long at = attrsOff; at < attrsOff + attrsSize; at += attrSize) {
            int a = (int) (at - headerSize);
            int attrBytes = (int) attrSize - 16;
            long idsOff = h.getLong(a + attrBytes);
            long idsSize = h.getLong(a + attrBytes + 8);
            long[] ids = new long[0];
            if (idsOff >= headerSize && idsOff <= dataOff && idsSize >= 0 && idsSize % 8 == 0
                    && idsSize <= dataOff - idsOff) {
                ids = new long[(int) (idsSize / 8)];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = h.getLong((int) (idsOff - headerSize) + 8 * i);
                }
            }
            attrs.add(PerfAttr.read(h, a, ids));
        }
        return dataSize;
    }

    private void records(PerfBytes bytes, long limit, DropSink sink) throws IOException {
        long start = bytes.offset();
        ByteBuffer b = bytes.buf();
        while (bytes.offset() - start < limit) {
            long at = bytes.offset();
            if (!bytes.ensure(8)) {
                if (bytes.available() > 0 || limit != Long.MAX_VALUE) {
                    // file mode: the header promised more data than the file holds
                    torn(at, bytes.available(), 8);
                }
                return;
            }
            int p = b.position();
            int type = b.getInt(p);
            int size = b.getShort(p + 6) & 0xFFFF;
            if (size < 8) {
                throw new IOException("corrupt perf.data: record of size " + size + " (type " + type + ") at offset "
                        + at);
            }
            if (!bytes.ensure(size)) {
                torn(at, bytes.available(), size);
                return;
            }
            p = b.position();
            records++;
            record(bytes, b, type, p, p + size, sink);
            bytes.advance(size);
            if (type == HEADER_TRACING_DATA && pipe && size >= 12) {
                long data = b.getInt(p + 8) & 0xFFFFFFFFL;
                if (!bytes.skip((data + 7) & ~7L)) {
                    warnings.add("torn tracing data", "the stream ends inside it");
                    return;
                }
            }
        }
    }

    private void record(PerfBytes bytes, ByteBuffer b, int type, int p, int end, DropSink sink) throws IOException {
        switch (type) {
            case SAMPLE:
                recording = true;
                if (layout != null) {
                    sample(b, p, end, sink);
                }
                break;
            case LOST:
                recording = true;
                if (layout != null && end - p >= 24) {
                    sink.lost(b.getLong(p + 16), time[0]);
                }
                break;
            case LOST_SAMPLES:
                recording = true;
                if (layout != null && end - p >= 16) {
                    sink.lost(b.getLong(p + 8), time[0]);
                }
                break;
            case HEADER_ATTR:
                headerAttr(b, p, end);
                break;
            case MMAP:
                mmap(b, p, end);
                break;
            case HEADER_BUILD_ID:
                buildId(b, p, end);
                break;
            case HEADER_FEATURE:
                if (end - p >= 16) {
                    long feat = b.getLong(p + 8);
                    if (feat == FEAT_OSRELEASE || feat == FEAT_BUILD_ID || feat == FEAT_VERSION) {
                        feature((int) feat, b, p + 16, end);
                    }
                }
                break;
            case FINISHED_INIT:
                recording = true;
                break;
            case COMPRESSED:
                throw new IOException("compressed perf.data (perf record -z) is not supported");
            default:
                if (type <= 0 || type > LAST_KNOWN || type > 21 && type < 64) {
                    warnings.add("unknown perf record type skipped", "type " + type);
                }
        }
    }

    /** A SAMPLE record {@code [p, end)}: a drop when it is one of our tracepoint, else a counted warning. */
    private void sample(ByteBuffer b, int p, int end, DropSink sink) {
        PerfAttr attr = attrOf(b, p + 8, end);
        if (attr == null) {
            warnings.add("sample of an unknown event skipped", "");
        } else if (attr.type() != PerfAttr.TYPE_TRACEPOINT
                || layout.id() != TracepointLayout.ANY_ID && attr.config() != layout.id()) {
            warnings.add("sample of another event skipped", "type " + attr.type() + " config " + attr.config());
        } else if (samples.decode(b, p + 8, end, attr, sink, time)) {
            drops++;
        }
    }

    /** Pipe mode: {@code perf_event_header; perf_event_attr attr; u64 id[]}. */
    private void headerAttr(ByteBuffer b, int p, int end) {
        int attrSize = end - p - 8 >= 8 ? b.getInt(p + 8 + 4) : 0;
        if (attrSize < PerfAttr.MIN_SIZE || attrSize > end - p - 8) { // (p + 8 + attrSize overflowed)
            warnings.add("malformed attr record skipped", "attr size " + attrSize);
            return;
        }
        long[] ids = new long[(end - p - 8 - attrSize) / 8];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = b.getLong(p + 8 + attrSize + 8 * i);
        }
        attrs.add(PerfAttr.read(b, p + 8, ids));
    }

    /** The attr of a sample: the only one, or the one holding the sample's id. */
    private PerfAttr attrOf(ByteBuffer b, int at, int end) {
        int n = attrs.size();
        if (n <= 1) {
            return n == 0 ? null : attrs.get(0);
        }
        int off = attrs.get(0).idOffset();
        if (off < 0 || at + off + 8 > end) {
            return sameLayout() ? attrs.get(0) : null;
        }
        long id = b.getLong(at + off);
        for (int i = 0; i < n; i++) {
            for (long x : attrs.get(i).ids()) {
                if (x == id) {
                    return attrs.get(i);
                }
            }
        }
        return null;
    }

    private boolean sameLayout() {
        for (PerfAttr a : attrs) {
            if (a.sampleType() != attrs.get(0).sampleType() || a.config() != attrs.get(0).config()) {
                return false;
            }
        }
        return true;
    }

    private void torn(long at, int have, int need) {
        warnings.add("torn last record", "at offset " + at + ": " + have + " of " + need + " bytes");
    }

    /** The resolver given at construction (for callers that report what was used). */
    public SymbolResolver resolver() {
        return resolver;
    }
}
