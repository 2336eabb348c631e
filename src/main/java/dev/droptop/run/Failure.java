package dev.droptop.run;

/** A runtime failure (backend died, system call refused): one line, exit 1. */
public final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Failure(String message) {
        super(message, null, false, false);
    }
}
