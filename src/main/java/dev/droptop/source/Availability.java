package dev.droptop.source;

/**
 * Whether a backend can run here. {@code reason} says why not in one sentence a user can act on;
 * {@code fix} names the command or package that would help (may be empty); {@code detail} says what
 * was found when it works (versions, features).
 */
public record Availability(boolean works, String reason, String fix, String detail) {
    public static Availability works(String detail) {
        return new Availability(true, "", "", detail);
    }

    public static Availability no(String reason, String fix) {
        return new Availability(false, reason, fix, "");
    }
}
