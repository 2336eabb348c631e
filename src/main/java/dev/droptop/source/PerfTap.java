package dev.droptop.source;

import dev.droptop.parse.PerfDataReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Copies perf record's pipe-mode output into perf script's stdin, byte for byte, while a framing
 * {@link PerfDataReader} follows the records as they pass: the perf script pipeline's way to learn
 * that perf record has enabled its events (its FINISHED_INIT record), for which perf script prints
 * nothing and its first line comes with the first drop. Output the reader refuses is still copied to
 * its end (perf script says what is wrong with it). perf script's stdin is closed at the end of perf
 * record's output, so perf script prints the rest and ends, as it did when the two were piped
 * directly. If perf script goes away, perf record's output is still read to its end and dropped: perf
 * record neither blocks on a full pipe (it stops at once when closed) nor dies of SIGPIPE (the run
 * names perf script as the process that failed).
 */
final class PerfTap {
    private PerfTap() {
    }

    /** Starts copying {@code from} into {@code to} on a daemon thread, {@code framing} following. */
    static void start(InputStream from, OutputStream to, PerfDataReader framing) {
        Thread t = new Thread(() -> copy(from, to, framing), "droptop-perf-tap");
        t.setDaemon(true);
        t.start();
    }

    private static void copy(InputStream from, OutputStream to, PerfDataReader framing) {
        Tee tee = new Tee(from, to);
        try {
            try {
                framing.follow(tee);
            } catch (IOException | RuntimeException e) {
                // not perf.data as the reader knows it: copy the rest all the same
            }
            tee.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            // perf record's output was closed: nothing left to copy
        } finally {
            tee.closeOut();
        }
    }

    /**
     * What is read from {@code in} is written to {@code out} at once (perf script streams); once a
     * write fails (perf script gone), reading goes on without writing.
     */
    private static final class Tee extends FilterInputStream {
        private final OutputStream out;
        private boolean outGone;

        Tee(InputStream in, OutputStream out) {
            super(in);
            this.out = out;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                write(new byte[] {(byte) b}, 0, 1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                write(b, off, n);
            }
            return n;
        }

        private void write(byte[] b, int off, int n) {
            if (outGone) {
                return;
            }
            try {
                out.write(b, off, n);
                out.flush();
            } catch (IOException e) {
                outGone = true;
            }
        }

        /** End of perf record's output: perf script's stdin is closed, so it prints the rest and ends. */
        void closeOut() {
            try {
                out.close();
            } catch (IOException e) {
                // perf script gone
            }
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] buf = new byte[(int) Math.min(n, 8192)];
            int r = n <= 0 ? 0 : read(buf, 0, buf.length);
            return Math.max(r, 0);
        }
    }
}
