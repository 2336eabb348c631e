package dev.droptop.run;

/** A problem the user can fix (bad option, unreadable or unusable input): one line, exit 2. */
public final class UserError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UserError(String message) {
        super(message, null, false, false);
    }
}
