package dev.droptop.source;

import dev.droptop.model.DropSink;
import dev.droptop.model.ForwardingSink;
import dev.droptop.model.Warnings;
import dev.droptop.parse.TraceParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * A backend child process whose stdout a parser reads as it streams, supervised.
 *
 * <p><b>One thread per run, alive as long as the child.</b> The thread {@code droptop-NAME} forks
 * the child, parses its stdout, then waits for its exit. The child is started through
 * {@code setpriv --pdeathsig KILL --}, and Linux delivers that signal when the <em>thread</em> that
 * forked the child exits (prctl(2) PR_SET_PDEATHSIG), not only when the JVM dies: forking from the
 * caller of {@link Backend#start} (a short-lived CLI or test thread) would kill the child as soon as
 * that thread returns. Here the forking thread outlives the child, so the signal fires only when the
 * JVM dies, including by {@code kill -9}, where no shutdown hook runs.
 *
 * <p><b>Supervision.</b> A stderr line containing {@code ERROR:} (unless {@code noise} accepts it)
 * or an exit that {@link #close()} did not ask for ends the run: {@link #failure()} holds one line,
 * e.g. {@code bpftrace exited (code 1): probes/drops.bt:58:3-10: ERROR: Unknown identifier}, and
 * {@link #awaitEnd()} returns. What was parsed stays in the sink.
 *
 * <p><b>Stopping.</b> SIGINT first (bpftrace runs END, which flushes the last partial interval;
 * stap runs its end probe), up to {@link #GRACE_MILLIS}; a child that exited is read to the end of its
 * output before its streams are closed; one that did not gets SIGTERM and SIGKILL.
 */
final class ChildRun implements Backend.Running {
    static final long GRACE_MILLIS = 2000;

    private final String name;
    private final List<String> command;
    private final TraceParser parser;
    private final boolean aggregates;
    private final Predicate<String> noise;
    private final CompletableFuture<ChildProcess> started = new CompletableFuture<>();
    private final CountDownLatch ended = new CountDownLatch(1);
    private final AtomicReference<String> failure = new AtomicReference<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean closing;
    private volatile boolean counting;
    private Thread thread;

    private ChildRun(String name, List<String> command, TraceParser parser, boolean aggregates,
                     Predicate<String> noise) {
        this.name = name;
        this.command = List.copyOf(command);
        this.parser = parser;
        this.aggregates = aggregates;
        this.noise = noise;
    }

    /**
     * Starts {@code command} on a new thread feeding {@code sink} (each call under {@code lock});
     * returns once the process is started. A missing executable is an IOException naming it.
     */
    static ChildRun start(String name, List<String> command, TraceParser parser, boolean aggregates,
                          Predicate<String> noise, DropSink sink) throws IOException {
        ChildRun run = new ChildRun(name, command, parser, aggregates, noise);
        run.thread = new Thread(() -> run.live(sink), "droptop-" + name);
        run.thread.setDaemon(true);
        run.thread.start();
        try {
            run.started.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting " + name);
        }
        return run;
    }

    /** {@code setpriv --pdeathsig KILL -- command...} when setpriv is available, else the command. */
    static List<String> withParentDeathSignal(List<String> command, boolean setprivAvailable) {
        if (!setprivAvailable) {
            return command;
        }
        List<String> full = new ArrayList<>(List.of("setpriv", "--pdeathsig", "KILL", "--"));
        full.addAll(command);
        return full;
    }

    /** The run thread: fork, parse, wait for the exit. Lives exactly as long as the child. */
    private void live(DropSink sink) {
        ChildProcess c;
        try {
            c = ChildProcess.start(command, this::onStderr);
        } catch (IOException e) {
            started.completeExceptionally(e);
            ended.countDown();
            return;
        }
        started.complete(c);
        try {
            parser.parse(c.stdout(), firstInterval(sink));
        } catch (IOException e) {
            if (!closing) {
                fail("cannot read " + name + " output: " + e.getMessage());
            }
        }
        try {
            int rc = c.waitFor();
            if (!closing) {
                fail(exitMessage(rc, c));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            ended.countDown();
        }
    }

    /**
     * {@code sink}, noting the first interval end: the child prints its first interval only once its
     * probes are attached and counting (bpftrace reads BTF and attaches for seconds before).
     */
    private DropSink firstInterval(DropSink sink) {
        return new ForwardingSink(sink) {
            @Override
            public void intervalEnd(long timeNanos) {
                target.intervalEnd(timeNanos);
                counting = true;
            }
        };
    }

    private void onStderr(String line) {
        if (!closing && line.contains("ERROR:") && !noise.test(line)) {
            fail(line.trim());
            Thread stopper = new Thread(this::close, "droptop-stop-" + name);
            stopper.setDaemon(true);
            stopper.start();
        }
    }

    private String exitMessage(int rc, ChildProcess c) {
        List<String> tail = c.stderrTail();
        for (int i = tail.size() - 1; i >= 0; i--) {
            String line = tail.get(i).trim();
            if (!line.isEmpty() && !noise.test(line)) {
                return name + " exited (code " + rc + "): " + line;
            }
        }
        return name + " exited by itself (code " + rc + ")";
    }

    private void fail(String message) {
        failure.compareAndSet(null, message);
    }

    @Override
    public List<String> command() {
        return command;
    }

    @Override
    public boolean aggregates() {
        return aggregates;
    }

    /** True once the first interval has arrived (see {@link #firstInterval}). */
    @Override
    public boolean counting() {
        return counting || !aggregates;
    }

    @Override
    public void awaitEnd() throws InterruptedException {
        ended.await();
    }

    @Override
    public String failure() {
        return failure.get();
    }

    @Override
    public Warnings warnings() {
        return parser.warnings();
    }

    /** The child's pid (for tests and the status line). */
    long pid() {
        return started.join().pid();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closing = true;
        ChildProcess c = started.join();
        boolean reader = Thread.currentThread() != thread;
        if (c.interruptAndWait(GRACE_MILLIS) && reader) {
            // the child's last print (bpftrace's END: the last partial interval, its flows) sits in the
            // pipe: read it to the end first, for closing the process closes its stdout and drops it
            joinReader();
        }
        c.close();
        if (reader) {
            joinReader();
        }
    }

    private void joinReader() {
        try {
            thread.join(GRACE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
