package dev.droptop.source;

import dev.droptop.model.Warnings;
import dev.droptop.parse.PerfScriptParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A started {@link PerfBackend}: a reader thread parses perf script's stdout until it ends. Closing
 * sends SIGTERM to perf record, which writes what it has and exits; perf script then drains the pipe
 * and ends, and the reader records the rest. Either process ending on its own is a failure, reported
 * with its last stderr line.
 */
final class PerfRun implements Backend.Running {
    private static final long DRAIN_MILLIS = 3000;
    private final ChildProcess record;
    private final ChildProcess script;
    private final PerfScriptParser parser;
    private final LockingSink batched;
    private final Thread reader;
    private volatile boolean closed;
    private volatile String failure;

    PerfRun(ChildProcess record, ChildProcess script, PerfScriptParser parser, LockingSink batched) {
        this.record = record;
        this.script = script;
        this.parser = parser;
        this.batched = batched;
        this.reader = new Thread(this::read, "droptop-perf-reader");
        reader.setDaemon(true);
    }

    void start() {
        reader.start();
    }

    /** pids of perf record and perf script, for tests that check nothing outlives droptop. */
    List<Long> pids() {
        return List.of(record.pid(), script.pid());
    }

    @Override
    public List<String> command() {
        List<String> c = new ArrayList<>(record.command());
        c.add("|");
        c.addAll(script.command());
        return c;
    }

    @Override
    public boolean aggregates() {
        return false;
    }

    @Override
    public void awaitEnd() throws InterruptedException {
        reader.join();
    }

    @Override
    public String failure() {
        return failure;
    }

    @Override
    public Warnings warnings() {
        return parser.warnings();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        record.close();
        try {
            reader.join(DRAIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        script.close();
        try {
            reader.join(DRAIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void read() {
        try {
            parser.parse(new FlushingInput(script.stdout(), batched::flush), batched);
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                failure = "reading perf script output failed: " + e.getMessage();
            }
        } finally {
            batched.flush();
        }
        if (!closed && failure == null) {
            failure = ended();
        }
    }

    /** Why the pipeline ended on its own: perf record's last stderr line if it died, else perf script's. */
    private String ended() {
        try {
            for (int i = 0; i < 20 && record.isAlive(); i++) {
                Thread.sleep(50);
            }
            for (ChildProcess p : List.of(record, script)) {
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
        return "perf ended on its own";
    }
}
