package dev.droptop.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * {@code trace_pipe} as an InputStream that hands out whole lines only and ends cleanly on request.
 *
 * <p>Stopping a reader blocked in {@code read(2)} on trace_pipe: closing a {@code FileInputStream}
 * from another thread does not wake it, and neither does {@code echo 0 > tracing_on} (checked on
 * 6.18). Two things do, and both are used:
 * <ol>
 *   <li>the end marker: the stopper disables the event, then writes {@link #marker()} to the
 *       instance's {@code trace_marker}; the reader wakes, drains every event before the marker, and
 *       ends the stream at the marker's line ({@code <...>-42 [001] ..... 12.5: tracing_mark_write:
 *       droptop-end-...}), which the parser never sees;</li>
 *   <li>{@link #close()}: the pipe is read through a {@link FileChannel}, an interruptible channel,
 *       and closing it signals the blocked thread (the read fails with AsynchronousCloseException
 *       within ~2 ms); the stream then ends as if at end of file. Used when the marker did not come
 *       through in time.</li>
 * </ol>
 * Before each read of the pipe, {@code beforeRead} runs (the sink flushes its batch there); before it,
 * {@code atBoundary} runs when every byte read so far is in lines handed out (the parser ends the
 * event it was reading there: a read of trace_pipe returns whole events, but a short buffer would
 * cut one, and then the rest of it is still to come).
 */
final class TracePipeStream extends InputStream {
    private static final int BUFFER = 1 << 16;
    private final FileChannel channel;
    private final byte[] marker;
    private final Runnable atBoundary;
    private final Runnable beforeRead;
    private final byte[] buf = new byte[BUFFER];
    private int start;
    private int ready;
    private int end;
    private boolean ended;
    private volatile boolean closing;

    TracePipeStream(Path tracePipe, String marker, Runnable atBoundary, Runnable beforeRead) throws IOException {
        this.channel = FileChannel.open(tracePipe, StandardOpenOption.READ);
        this.marker = marker.getBytes(StandardCharsets.US_ASCII);
        this.atBoundary = atBoundary;
        this.beforeRead = beforeRead;
    }

    byte[] marker() {
        return marker.clone();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] dst, int off, int len) throws IOException {
        while (start == ready) {
            if (ended) {
                return -1;
            }
            fill();
        }
        int n = Math.min(len, ready - start);
        System.arraycopy(buf, start, dst, off, n);
        start += n;
        return n;
    }

    private void fill() throws IOException {
        System.arraycopy(buf, start, buf, 0, end - start);
        end -= start;
        ready -= start;
        start = 0;
        if (end == buf.length) {
            ready = end; // a line longer than the buffer: the parser counts it as overlong
            return;
        }
        if (end == 0) {
            atBoundary.run();
        }
        beforeRead.run();
        int n;
        try {
            n = channel.read(ByteBuffer.wrap(buf, end, buf.length - end));
        } catch (ClosedChannelException e) {
            n = -1; // closed by close(): end of stream, what was read so far stays
        } catch (IOException e) {
            if (closing) {
                n = -1;
            } else {
                throw e;
            }
        }
        if (n < 0) {
            ended = true;
            ready = lastLineEnd(0, end);
            return;
        }
        end += n;
        int m = indexOf(buf, 0, end, marker);
        if (m >= 0) {
            ended = true;
            end = lastLineEnd(0, m);
            ready = end;
        } else {
            ready = lastLineEnd(ready, end);
        }
    }

    /** Index just after the last newline in [from, to), or {@code from} when there is none. */
    private int lastLineEnd(int from, int to) {
        for (int i = to - 1; i >= from; i--) {
            if (buf[i] == '\n') {
                return i + 1;
            }
        }
        return from;
    }

    private static int indexOf(byte[] b, int from, int to, byte[] needle) {
        byte first = needle[0];
        outer:
        for (int i = from; i <= to - needle.length; i++) {
            if (b[i] != first) {
                continue;
            }
            for (int j = 1; j < needle.length; j++) {
                if (b[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Closes the pipe; a reader blocked in read() wakes and sees end of stream. */
    @Override
    public void close() throws IOException {
        closing = true;
        channel.close();
    }
}
