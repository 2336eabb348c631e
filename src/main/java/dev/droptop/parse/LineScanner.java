package dev.droptop.parse;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Splits a stream into lines over one reused byte buffer. After {@link #next()} returns true the
 * current line is {@code buf()[start() .. end())}, without its line terminator ({@code \n} or
 * {@code \r\n}). A line longer than {@code maxLine} bytes is skipped whole and counted in
 * {@link #overlongLines()}, so a 10 MB line cannot blow the heap.
 */
public final class LineScanner {
    public static final int DEFAULT_BUFFER = 1 << 20;
    public static final int DEFAULT_MAX_LINE = 1 << 20;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    private final InputStream in;
    private final int maxLine;
    private byte[] buf;
    private int pos;
    private int limit;
    private int start;
    private int end;
    private boolean eof;
    private long lineNumber;
    private long overlong;
    private long bytesRead;
    private boolean tornLast;

    public LineScanner(InputStream in) {
        this(in, DEFAULT_BUFFER, DEFAULT_MAX_LINE);
    }

    public LineScanner(InputStream in, int bufferSize, int maxLine) {
        this.in = in;
        this.maxLine = maxLine;
        this.buf = new byte[Math.max(bufferSize, 64)];
    }

    public byte[] buf() {
        return buf;
    }

    public int start() {
        return start;
    }

    public int end() {
        return end;
    }

    /** Where the unread bytes start: {@code buf()[position() .. limit())}. */
    public int position() {
        return pos;
    }

    /** End of the bytes read so far. */
    public int limit() {
        return limit;
    }

    /**
     * Makes {@code buf()[position() .. nl)} the current line, for a caller that recognised it:
     * {@code nl} is the index of its {@code \n}, before {@link #limit()}, with no {@code \r} before it.
     */
    public void take(int nl) {
        lineNumber++;
        start = pos;
        end = nl;
        pos = nl + 1;
    }

    /** 1-based number of the current line in the stream. */
    public long lineNumber() {
        return lineNumber;
    }

    public long overlongLines() {
        return overlong;
    }

    public long bytesRead() {
        return bytesRead;
    }

    /** True when the last line returned had no terminating newline (a torn last line). */
    public boolean lastLineUnterminated() {
        return tornLast;
    }

    /** The current line as a String (for messages and rare paths only). */
    public String line() {
        return new String(buf, start, end - start, java.nio.charset.StandardCharsets.UTF_8);
    }

    public boolean next() throws IOException {
        boolean skipping = false;
        while (true) {
            int nl = indexOfNewline(buf, pos, limit);
            if (nl >= 0) {
                lineNumber++;
                if (skipping) {
                    pos = nl + 1;
                    skipping = false;
                    continue;
                }
                start = pos;
                end = nl > start && buf[nl - 1] == '\r' ? nl - 1 : nl;
                pos = nl + 1;
                return true;
            }
            if (eof) {
                if (pos < limit && !skipping) {
                    lineNumber++;
                    start = pos;
                    end = limit;
                    pos = limit;
                    tornLast = true;
                    return true;
                }
                return false;
            }
            if (limit - pos >= maxLine) {
                // overlong line: drop what we have and skip to the next newline
                if (!skipping) {
                    overlong++;
                }
                skipping = true;
                pos = limit;
            }
            fill();
        }
    }

    private void fill() throws IOException {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
        if (limit == buf.length) {
            buf = Arrays.copyOf(buf, Math.min(buf.length * 2, maxLine + 1));
        }
        int n = in.read(buf, limit, buf.length - limit);
        if (n < 0) {
            eof = true;
        } else {
            limit += n;
            bytesRead += n;
        }
    }

    /** Eight bytes at a time: the lowest byte of {@code (w - 0x01..) & ~w & 0x80..} that is set is the first zero byte of w. */
    private static int indexOfNewline(byte[] b, int from, int to) {
        int i = from;
        for (; i <= to - 8; i += 8) {
            long w = (long) LONGS.get(b, i) ^ NEWLINES;
            long t = (w - ONES) & ~w & HIGHS;
            if (t != 0) {
                return i + (Long.numberOfTrailingZeros(t) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
