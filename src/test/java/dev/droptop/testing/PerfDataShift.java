package dev.droptop.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Test helper: a file-mode perf.data as another boot of the same kernel would have recorded it
 * (KASLR): the kernel's PERF_RECORD_MMAP ({@code [kernel.kallsyms]_text}: start and pgoff) and every
 * kernel text address in the samples (ip, call chain, the raw tracepoint's location) moved by
 * {@code delta}. Sample fields are u64 at 8-byte steps up to the raw data, whose fields sit 4 bytes
 * off: both alignments are scanned, and only values inside the kernel's text map are moved.
 */
public final class PerfDataShift {
    private PerfDataShift() {
    }

    public static void shift(Path in, Path out, long delta) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(in)).order(ByteOrder.LITTLE_ENDIAN);
        long dataOff = b.getLong(40);
        long dataSize = b.getLong(48);
        long[] text = new long[2];
        walk(b, (int) dataOff, (int) (dataOff + dataSize), text, 0);
        if (text[1] == 0) {
            throw new IOException(in + ": no kernel mmap record");
        }
        walk(b, (int) dataOff, (int) (dataOff + dataSize), text, delta);
        Files.write(out, b.array());
    }

    private static void walk(ByteBuffer b, int from, int to, long[] text, long delta) {
        for (int p = from; p + 8 <= to; ) {
            int type = b.getInt(p);
            int size = b.getShort(p + 6) & 0xFFFF;
            if (size < 8) {
                return;
            }
            if (type == 1 && b.getInt(p + 8) == -1 && name(b, p + 40, p + size).startsWith("[kernel.kallsyms]")) {
                if (delta == 0) {
                    text[0] = b.getLong(p + 16);
                    text[1] = b.getLong(p + 16) + b.getLong(p + 24);
                } else {
                    b.putLong(p + 16, b.getLong(p + 16) + delta);
                    b.putLong(p + 32, b.getLong(p + 32) + delta);
                }
            } else if (type == 9 && delta != 0) {
                for (int q = p + 8; q + 8 <= p + size; q += 4) {
                    long v = b.getLong(q);
                    if (Long.compareUnsigned(v, text[0]) >= 0 && Long.compareUnsigned(v, text[1]) < 0) {
                        b.putLong(q, v + delta);
                        q += 4;
                    }
                }
            }
            p += size;
        }
    }

    private static String name(ByteBuffer b, int from, int to) {
        StringBuilder s = new StringBuilder();
        for (int i = from; i < to && b.get(i) != 0; i++) {
            s.append((char) b.get(i));
        }
        return s.toString();
    }
}
