package dev.droptop.source;

/**
 * A run whose events one daemon reader thread pulls in (perf record's output, trace_pipe, the perf
 * rings): event by event, never aggregated by the source. What the three such runs share: the thread,
 * the closed flag and the one-line failure.
 */
abstract class ReaderRun implements Backend.Running {
    protected final Thread reader;
    protected volatile boolean closed;
    protected volatile String failure;

    ReaderRun(String threadName) {
        this.reader = new Thread(this::read, threadName);
        reader.setDaemon(true);
    }

    /** The reader thread's body: reads until the source ends or {@link #closed} is set. */
    protected abstract void read();

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
}
