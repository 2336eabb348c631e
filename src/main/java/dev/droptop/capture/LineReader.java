package dev.droptop.capture;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a stream into {@code \n}-terminated lines over one byte buffer that grows up to the line cap,
 * so memory stays bounded by the longest accepted line, not by the file. After {@link #next()} returns
 * true the line is {@code buf()[start() .. end())} without its terminator.
 */
final class LineReader {
    private static final int INITIAL_BUFFER = 64 << 10;

    private final InputStream in;
    private final int maxLine;
    private byte[] buf;
    private int pos;
    private int limit;
    private int start;
    private int end;
    private boolean eof;
    private boolean terminated = true;
    private long lineNumber;

    LineReader(InputStream in, int maxLine) {
        this.in = in;
        this.maxLine = maxLine;
        this.buf = new byte[Math.min(INITIAL_BUFFER, maxLine + 1)];
    }

    byte[] buf() {
        return buf;
    }

    int start() {
        return start;
    }

    int end() {
        return end;
    }

    /** 1-based number of the current line. */
    long lineNumber() {
        return lineNumber;
    }

    /** False when the current line ended at end of stream without {@code \n}. */
    boolean terminated() {
        return terminated;
    }

    /**
     * Advances to the next line; false at end of stream.
     *
     * @throws LineTooLongException when a line exceeds the cap (the reader is then unusable)
     */
    boolean next() throws IOException {
        int scanned = pos;
        while (true) {
            int nl = indexOf(buf, scanned, limit);
            if (nl >= 0) {
                return line(nl, nl + 1, true);
            }
            if (limit - pos > maxLine) {
                throw new LineTooLongException(lineNumber + 1);
            }
            if (eof) {
                return pos < limit && line(limit, limit, false);
            }
            scanned = limit;
            int shift = fill();
            scanned -= shift;
        }
    }

    private boolean line(int lineEnd, int nextPos, boolean withNewline) {
        lineNumber++;
        start = pos;
        end = lineEnd;
        pos = nextPos;
        terminated = withNewline;
        return true;
    }

    /** Reads more bytes; returns how far the buffer content moved left. */
    private int fill() throws IOException {
        int shift = pos;
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
        if (limit == buf.length) {
            buf = Arrays.copyOf(buf, (int) Math.min(buf.length * 2L, maxLine + 2L));
        }
        int n = in.read(buf, limit, buf.length - limit);
        if (n < 0) {
            eof = true;
        } else {
            limit += n;
        }
        return shift;
    }

    private static int indexOf(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** A line longer than the cap: corruption, not data. */
    static final class LineTooLongException extends IOException {
        private final long lineNumber;

        LineTooLongException(long lineNumber) {
            super("line longer than the limit");
            this.lineNumber = lineNumber;
        }

        long lineNumber() {
            return lineNumber;
        }
    }
}
