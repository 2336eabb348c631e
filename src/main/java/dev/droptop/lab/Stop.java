package dev.droptop.lab;

/** Asks a running load to stop early (Ctrl-C); shared by the CLI's signal handler and the load. */
public final class Stop {
    private volatile boolean requested;

    public void request() {
        requested = true;
    }

    public boolean requested() {
        return requested;
    }
}
