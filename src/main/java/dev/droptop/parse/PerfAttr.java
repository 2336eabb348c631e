package dev.droptop.parse;

import java.nio.ByteBuffer;

/**
 * The parts of a {@code struct perf_event_attr} (include/uapi/linux/perf_event.h) that decide how a
 * sample is laid out: {@code u32 type; u32 size; u64 config; u64 sample_period; u64 sample_type;
 * u64 read_format; u64 flags (bit 18: sample_id_all)}, and the sample ids perf gave the event.
 */
record PerfAttr(int type, long config, long sampleType, long readFormat, boolean sampleIdAll, long[] ids) {
    static final int TYPE_TRACEPOINT = 2;
    /** PERF_ATTR_SIZE_VER0: the fields above all lie within it. */
    static final int MIN_SIZE = 64;

    static final long IP = 1L;
    static final long TID = 1L << 1;
    static final long TIME = 1L << 2;
    static final long ADDR = 1L << 3;
    static final long READ = 1L << 4;
    static final long CALLCHAIN = 1L << 5;
    static final long ID = 1L << 6;
    static final long CPU = 1L << 7;
    static final long PERIOD = 1L << 8;
    static final long STREAM_ID = 1L << 9;
    static final long RAW = 1L << 10;
    static final long IDENTIFIER = 1L << 16;

    static final long FORMAT_TOTAL_TIME_ENABLED = 1;
    static final long FORMAT_TOTAL_TIME_RUNNING = 2;
    static final long FORMAT_ID = 4;
    static final long FORMAT_GROUP = 8;
    static final long FORMAT_LOST = 16;

    /** Reads the attr at {@code at}; the caller checked that {@link #MIN_SIZE} bytes are there. */
    static PerfAttr read(ByteBuffer b, int at, long[] ids) {
        long flags = b.getLong(at + 40);
        return new PerfAttr(b.getInt(at), b.getLong(at + 8), b.getLong(at + 24), b.getLong(at + 32),
                (flags & (1L << 18)) != 0, ids);
    }

    /** Size of a PERF_SAMPLE_READ block, or -1 when {@code nr} (group reads) is absurd. */
    int readSize(ByteBuffer b, int at, int end) {
        int perValue = 8 + ((readFormat & FORMAT_ID) != 0 ? 8 : 0) + ((readFormat & FORMAT_LOST) != 0 ? 8 : 0);
        int times = ((readFormat & FORMAT_TOTAL_TIME_ENABLED) != 0 ? 8 : 0)
                + ((readFormat & FORMAT_TOTAL_TIME_RUNNING) != 0 ? 8 : 0);
        if ((readFormat & FORMAT_GROUP) == 0) {
            return perValue + times;
        }
        if (at + 8 > end) {
            return -1;
        }
        long nr = b.getLong(at);
        if (nr < 0 || nr > (end - at) / perValue) {
            return -1;
        }
        return 8 + times + (int) nr * perValue;
    }

    /** Byte offset of the sample id in a sample record body, or -1 when samples carry none. */
    int idOffset() {
        if ((sampleType & IDENTIFIER) != 0) {
            return 0;
        }
        if ((sampleType & ID) == 0) {
            return -1;
        }
        int off = 0;
        for (long bit : new long[] {IP, TID, TIME, ADDR}) {
            off += (sampleType & bit) != 0 ? 8 : 0;
        }
        return off;
    }
}
