package dev.droptop.source;

import dev.droptop.model.DropSink;
import dev.droptop.model.Warnings;
import dev.droptop.parse.TracefsParser;
import java.io.IOException;
import java.util.List;

/**
 * A started {@link TracefsBackend}: a reader thread parsing {@code trace_pipe}, a stats thread
 * counting overruns, and the cleanup that runs on {@link #close()}, when the reader fails, and from
 * a JVM shutdown hook. Stop order: disable the event, write the end marker (the reader drains up to
 * it and ends), close the pipe if the marker did not get through in 2 s, count the last overruns,
 * remove the trigger and the instance.
 */
final class TracefsRun extends ReaderRun {
    private static final long JOIN_MILLIS = 2000;
    private final TracefsInstance instance;
    private final Backend.Options options;
    private final TracefsParser parser;
    private final SessionSink batched;
    private final DropSink sink;
    private final Object lock;
    private final String marker = "droptop-end-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    private final Thread stats;
    private final Thread hook;
    private TracePipeStream pipe;
    private final Object statsLock = new Object();
    private long lostSoFar;

    TracefsRun(TracefsInstance instance, Backend.Options options, TracefsParser parser, SessionSink batched,
            DropSink sink, Object lock) {
        super("droptop-tracefs-reader");
        this.instance = instance;
        this.options = options;
        this.parser = parser;
        this.batched = batched;
        this.sink = sink;
        this.lock = lock;
        this.stats = new Thread(this::pollStats, "droptop-tracefs-stats");
        this.hook = new Thread(this::release, "droptop-tracefs-cleanup");
        stats.setDaemon(true);
    }

    void start() throws IOException {
        pipe = new TracePipeStream(instance.file("trace_pipe"), marker,
                () -> parser.endOfRead(batched, options.stacks()), batched::flush);
        Runtime.getRuntime().addShutdownHook(hook);
        lostSoFar = instance.lostEvents();
        reader.start();
        stats.start();
    }

    @Override
    public List<String> command() {
        return TracefsBackend.describe(instance, options.stacks());
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
        try {
            instance.write(TracefsInstance.EVENT + "/enable", "0");
            instance.write("trace_marker", marker + "\n");
        } catch (IOException e) {
            // the instance is gone: closing the pipe below ends the reader
        }
        join(reader);
        if (reader.isAlive()) {
            closePipe();
            join(reader);
        }
        stats.interrupt();
        join(stats);
        countLost();
        release();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // shutting down: the hook runs release() again, which is idempotent
        }
    }

    @Override
    protected void read() {
        try {
            parser.parse(pipe, batched);
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                failure = "reading " + instance.file("trace_pipe") + " failed: " + e.getMessage();
            }
        } finally {
            batched.flush();
        }
        if (!closed && failure == null) {
            failure = "trace_pipe of " + instance.dir() + " ended (instance removed by someone else?)";
        }
    }

    private void pollStats() {
        while (!closed) {
            try {
                Thread.sleep(TracefsBackend.STATS_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            countLost();
        }
    }

    private void countLost() {
        synchronized (statsLock) {
            if (!instance.exists()) {
                return;
            }
            long now = instance.lostEvents();
            long delta = now - lostSoFar;
            lostSoFar = now;
            if (delta > 0) {
                synchronized (lock) {
                    sink.lost(delta, System.nanoTime());
                }
            }
        }
    }

    /** Closes the pipe and removes the instance; quiet and idempotent (also the shutdown hook). */
    private void release() {
        closePipe();
        instance.remove();
    }

    private void closePipe() {
        try {
            if (pipe != null) {
                pipe.close();
            }
        } catch (IOException e) {
            // already closed
        }
    }

    private static void join(Thread t) {
        try {
            t.join(JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
