package dev.droptop.diagnose;

/** How much a finding matters, most important first. */
public enum Severity {
    /** Packets are being lost for a known, fixable reason. */
    CRITICAL,
    /** Drops worth a look, or a limit about to be hit. */
    WARNING,
    /** Usually harmless drops, named so that nobody chases them. */
    INFO;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
