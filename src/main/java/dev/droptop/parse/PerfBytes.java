package dev.droptop.parse;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;

/**
 * A reused direct buffer over a channel, as async-profiler's JfrReader does it: the buffer stays in
 * read mode (position = next unread byte); {@link #ensure} compacts and refills in large reads.
 * Callers read fields by absolute index from {@link #buf()}. No allocation after construction.
 */
final class PerfBytes {
    static final int CAPACITY = 1 << 20;
    private final ReadableByteChannel in;
    private final ByteBuffer buf = ByteBuffer.allocateDirect(CAPACITY).order(ByteOrder.LITTLE_ENDIAN);
    /** Stream offset of buffer index 0. */
    private long base;
    private boolean eof;

    PerfBytes(ReadableByteChannel in) {
        this.in = in;
        buf.limit(0);
    }

    ByteBuffer buf() {
        return buf;
    }

    void order(ByteOrder order) {
        buf.order(order);
    }

    /** Stream offset of the next unread byte. */
    long offset() {
        return base + buf.position();
    }

    /** Bytes buffered and unread. */
    int available() {
        return buf.remaining();
    }

    /** True when {@code n} (at most {@link #CAPACITY}) bytes are buffered; false when the stream ends first. */
    boolean ensure(int n) throws IOException {
        if (buf.remaining() >= n) {
            return true;
        }
        if (eof) {
            return false;
        }
        base += buf.position();
        buf.compact();
        while (buf.position() < n) {
            int r = in.read(buf);
            if (r < 0) {
                eof = true;
                break;
            }
        }
        buf.flip();
        return buf.remaining() >= n;
    }

    /** Consumes {@code n} buffered bytes. */
    void advance(int n) {
        buf.position(buf.position() + n);
    }

    /** Skips {@code n} bytes, buffered or not; false when the stream ends first. */
    boolean skip(long n) throws IOException {
        while (n > 0) {
            if (buf.remaining() == 0 && !ensure(1)) {
                return false;
            }
            int step = (int) Math.min(n, buf.remaining());
            advance(step);
            n -= step;
        }
        return true;
    }

    /** Copies {@code n} bytes into a new array (headers only, never samples). */
    byte[] take(int n) throws IOException {
        byte[] out = new byte[n];
        int done = 0;
        while (done < n) {
            if (buf.remaining() == 0 && !ensure(1)) {
                throw new EOFException();
            }
            int step = Math.min(n - done, buf.remaining());
            buf.get(out, done, step);
            done += step;
        }
        return out;
    }
}
