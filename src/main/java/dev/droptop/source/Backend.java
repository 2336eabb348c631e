package dev.droptop.source;

import dev.droptop.model.DropSink;
import java.io.IOException;
import java.util.List;

/**
 * A live source of drops: one class plus its script. {@link #check()} says whether it can run here
 * and why not, without side effects (doctor prints it); {@link #start} launches it and feeds the sink
 * from its own reader thread until the source ends or {@link Running#close()} is called.
 */
public interface Backend {
    /** perf, bpftrace, tracefs, stap. */
    String name();

    /** Whether this backend works on this machine, with the reason and the fix when it does not. */
    Availability check();

    /**
     * Starts the backend. Every call on {@code sink} happens on the backend's reader thread while it
     * holds {@code lock}, so a session may read the sink under the same lock.
     */
    Running start(Options options, DropSink sink, Object lock) throws IOException;

    /** How to run. {@code intervalNanos} matters to backends that aggregate in the kernel. */
    record Options(boolean stacks, long intervalNanos) {
    }

    /** A started backend. */
    interface Running extends AutoCloseable {
        /** What was launched, for the capture header and messages. */
        List<String> command();

        /** True when the backend delivers counts per interval (the session must not tick windows). */
        boolean aggregates();

        /** Blocks until the source ends by itself or is closed. */
        void awaitEnd() throws InterruptedException;

        /** Why the backend ended on its own (died, printed an error), or null while fine. */
        String failure();

        /** Warnings of the parser (odd lines). */
        dev.droptop.model.Warnings warnings();

        /** Stops the backend and releases what it set up (processes, tracefs instance). Idempotent. */
        @Override
        void close();
    }
}
