package dev.droptop.source;

import dev.droptop.model.DropSink;
import dev.droptop.model.Warnings;
import dev.droptop.parse.TraceParser;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.locks.LockSupport;

/**
 * Lets a pipe fill a little between reads: after a read that returned less than {@value #FULL} bytes
 * (the pipe was nearly drained), waits {@value #PAUSE_MILLIS} ms before the next one. bpftrace writes
 * each {@code pkt} line with its own {@code write}, so a reader that is always waiting took one
 * wake-up and one {@code read} per line: at the 10,000 lines/s of {@code --pcap}, on a busy 2-vCPU
 * VM, ~10 µs of CPU a line, ten times the parsing. Paced, a read takes the lines of the last 2 ms
 * (~4 KB at 10,000/s) and the reader wakes at most 500 times a second while the pipe is quiet.
 *
 * <p>Bounded: the pause is short against the pipe (64 KiB holds ~30 ms of lines at 10,000/s), so
 * the writer never blocks on it; a read of {@value #FULL} bytes or more (the reader is behind) is
 * followed at once by the next. Lines arrive up to 2 ms later, against 1-second intervals.
 */
final class PacedInput extends FilterInputStream {
    static final int FULL = 16 * 1024;
    static final long PAUSE_MILLIS = 2;

    private final Runnable pause;
    private boolean drained;

    PacedInput(InputStream in) {
        this(in, () -> LockSupport.parkNanos(PAUSE_MILLIS * 1_000_000L));
    }

    /** With {@code pause} run before a read that follows a short one (tests count the calls). */
    PacedInput(InputStream in, Runnable pause) {
        super(in);
        this.pause = pause;
    }

    /** {@code parser} reading its input through a {@link PacedInput}. */
    static TraceParser pacing(TraceParser parser) {
        return new TraceParser() {
            @Override
            public void parse(InputStream in, DropSink sink) throws IOException {
                parser.parse(new PacedInput(in), sink);
            }

            @Override
            public Warnings warnings() {
                return parser.warnings();
            }

            @Override
            public long drops() {
                return parser.drops();
            }
        };
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (drained) {
            pause.run();
        }
        int n = in.read(b, off, len);
        drained = n >= 0 && n < FULL;
        return n;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }
}
