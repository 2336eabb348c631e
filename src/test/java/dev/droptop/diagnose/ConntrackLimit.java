package dev.droptop.diagnose;

import dev.droptop.lab.ConntrackMax;
import java.io.IOException;

/**
 * Lowers the global nf_conntrack_max for a test and restores it on close, and from a JVM shutdown
 * hook should the test JVM be stopped before close runs. Goes through the lab's {@link ConntrackMax},
 * so it holds the same cross-process lock as {@code droptop lab} and other test JVMs: two of them
 * can no longer save each other's lowered value as "the original".
 */
final class ConntrackLimit implements AutoCloseable {
    private final ConntrackMax max;

    private ConntrackLimit(ConntrackMax max) {
        this.max = max;
    }

    static ConntrackLimit lowerTo(long max) throws IOException {
        return new ConntrackLimit(ConntrackMax.set(max));
    }

    @Override
    public void close() {
        max.close();
    }
}
