package dev.droptop.source;

import dev.droptop.model.Warnings;
import dev.droptop.parse.PerfDataReader;
import dev.droptop.parse.TraceParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A started {@link PerfBackend}: a reader thread decodes perf record's pipe-mode stdout ({@code -o -})
 * with {@link dev.droptop.parse.PerfDataReader} until it ends (or, with a {@code perf script} child,
 * parses its text). Closing sends SIGINT to perf record, which writes what it has and exits; the
 * reader records the rest (see {@link #close()}). A process ending on its own is a failure, reported
 * with its last stderr line.
 *
 * <p><b>Counting.</b> perf record opens its events disabled, writes its header, synthesizes a record
 * per running thread and only then enables them (strace of perf 6.1: header 100-140 ms after the
 * start, events enabled 40-210 ms later). It counts once a reader of its output has seen them
 * enabled ({@link PerfDataReader#recording()}): the one that decodes it, or with perf script the one
 * that follows it on its way there ({@link PerfTap}). perf before 6.0 writes no FINISHED_INIT record: when
 * its version feature (written with the header) names such a version, it is taken to count {@link
 * #OLD_PERF_MILLIS} after {@link #counting()} first saw that, or at its first sample if sooner.
 */
final class PerfRun extends ReaderRun {
    private static final long DRAIN_MILLIS = 3000;
    /** perf before 6.0: the bounded wait from its version record for it to enable its events. */
    static final long OLD_PERF_MILLIS = 1000;
    private final ChildProcess record;
    private final ChildProcess script;
    private final TraceParser parser;
    private final SessionSink batched;
    private final PerfDataReader progress;
    private volatile long oldPerfSince;

    /**
     * {@code script} is null when the parser reads perf record's output itself; {@code progress} is the
     * reader that sees perf record's records go by: that parser, or the one of the {@link PerfTap}
     * between perf record and perf script.
     */
    PerfRun(ChildProcess record, ChildProcess script, TraceParser parser, SessionSink batched,
            PerfDataReader progress) {
        super("droptop-perf-reader");
        this.record = record;
        this.script = script;
        this.parser = parser;
        this.batched = batched;
        this.progress = progress;
    }

    void start() {
        reader.start();
    }

    /** pids of perf record (and perf script), for tests that check nothing outlives droptop. */
    List<Long> pids() {
        return script == null ? List.of(record.pid()) : List.of(record.pid(), script.pid());
    }

    @Override
    public List<String> command() {
        List<String> c = new ArrayList<>(record.command());
        if (script != null) {
            c.add("|");
            c.addAll(script.command());
        }
        return c;
    }

    /** True once perf record has enabled its events, as its output shows (see the class comment). */
    @Override
    public boolean counting() {
        if (progress.recording()) {
            return true;
        }
        String version = progress.perfVersion();
        if (version == null || writesFinishedInit(version)) {
            return false;
        }
        long now = System.nanoTime();
        if (oldPerfSince == 0) {
            oldPerfSince = now;
        }
        return now - oldPerfSince >= OLD_PERF_MILLIS * 1_000_000L;
    }

    /**
     * Whether perf of this version ({@code 6.1.187}) writes PERF_RECORD_FINISHED_INIT ({@link
     * PerfVersion#writesFinishedInit}). A version that does not start with a number is taken to, so its
     * run waits for the record or a sample.
     */
    static boolean writesFinishedInit(String version) {
        PerfVersion v = PerfVersion.parse(version);
        return v == null || v.writesFinishedInit();
    }

    @Override
    public Warnings warnings() {
        return parser.warnings();
    }

    /**
     * Stops perf record as Ctrl-C does (SIGINT): it writes what its ring buffers still hold and exits,
     * and the reader records all of it from the pipe (with perf script: once that has printed it and
     * ended too). Only then are the processes closed, for closing one also closes its output: closed
     * at once, a reader still behind lost the rest (a burst of 500 drops 1 s after the start, the
     * capture ending with it, two busy loops on the 2-core VM: 4, 59, 5 and 14 of them counted).
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        record.interruptAndWait(DRAIN_MILLIS);
        joinReader();
        record.close();
        if (script != null) {
            script.close();
        }
        joinReader();
    }

    private void joinReader() {
        if (Thread.currentThread() == reader) {
            return;
        }
        try {
            reader.join(DRAIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    protected void read() {
        try {
            ChildProcess out = script == null ? record : script;
            parser.parse(new FlushingInput(out.stdout(), batched::flush), batched);
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                // a perf that died mid-write leaves a torn stream: its exit is the cause to name
                String died = died();
                failure = died != null ? died : "reading perf " + (script == null ? "record" : "script")
                        + " output failed: " + e.getMessage();
            }
        } finally {
            batched.flush();
        }
        if (!closed && failure == null) {
            String died = died();
            failure = died != null ? died : "perf ended on its own";
        }
    }

    /**
     * How the pipeline's processes ended, when one of them failed: perf record's status and last
     * stderr line if it died, else perf script's; null when none failed.
     */
    private String died() {
        try {
            for (int i = 0; i < 20 && record.isAlive(); i++) {
                Thread.sleep(50);
            }
            for (ChildProcess p : script == null ? List.of(record) : List.of(record, script)) {
                if (!p.isAlive()) {
                    int rc = p.waitFor();
                    String err = p.lastError();
                    if (rc != 0 || !err.isEmpty() && !err.startsWith("[ perf record:")) {
                        return (p == record ? "perf record" : "perf script") + " exited (status " + rc + ")"
                                + (err.isEmpty() ? "" : ": " + err);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }
}
