package dev.droptop.parse;

import dev.droptop.model.DropSink;
import dev.droptop.model.SymbolResolver;
import dev.droptop.model.TracepointLayout;
import dev.droptop.model.Warnings;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Decodes records as the kernel writes them into a perf_event_open ring buffer (no perf.data
 * framing): PERF_RECORD_SAMPLE of {@code skb:kfree_skb} through {@link PerfSamples}, PERF_RECORD_LOST
 * and LOST_SAMPLES to {@link DropSink#lost}. The sample layout is the one the caller asked the kernel
 * for ({@code sampleType}), for a single event, so samples carry no id.
 */
public final class PerfRingDecoder {
    private static final int LOST = 2;
    private static final int SAMPLE = 9;
    private static final int LOST_SAMPLES = 13;
    private final Warnings warnings = new Warnings();
    private final PerfSamples samples;
    private final PerfAttr attr;
    private final long[] time = new long[1];
    private long drops;

    public PerfRingDecoder(SymbolResolver resolver, TracepointLayout layout, long sampleType) {
        this.samples = new PerfSamples(resolver, layout, warnings);
        this.attr = new PerfAttr(PerfAttr.TYPE_TRACEPOINT, layout.id(), sampleType, 0, false, new long[0]);
    }

    /** Decodes the whole records in {@code buf[0, len)}; returns the bytes used (a torn tail is left). */
    public int decode(byte[] buf, int len, DropSink sink) {
        ByteBuffer b = ByteBuffer.wrap(buf, 0, len).order(ByteOrder.LITTLE_ENDIAN);
        int p = 0;
        while (p + 8 <= len) {
            int type = b.getInt(p);
            int size = b.getShort(p + 6) & 0xFFFF;
            if (size < 8) {
                warnings.add("malformed ring record", "size " + size);
                return len;
            }
            if (p + size > len) {
                break;
            }
            int end = p + size;
            switch (type) {
                case SAMPLE:
                    if (samples.decode(b, p + 8, end, attr, sink, time)) {
                        drops++;
                    }
                    break;
                case LOST:
                    if (size >= 24) {
                        sink.lost(b.getLong(p + 16), time[0]);
                    }
                    break;
                case LOST_SAMPLES:
                    if (size >= 16) {
                        sink.lost(b.getLong(p + 8), time[0]);
                    }
                    break;
                default:
                    warnings.add("unexpected ring record type skipped", "type " + type);
            }
            p = end;
        }
        return p;
    }

    public Warnings warnings() {
        return warnings;
    }

    public long drops() {
        return drops;
    }
}
