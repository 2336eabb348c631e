package dev.droptop.run;

import java.util.Set;

/**
 * How {@code droptop export} runs.
 *
 * @param host address to listen on (127.0.0.1 unless told otherwise)
 * @param port TCP port (0: any free port, printed at start)
 * @param backend backend name or "auto"
 * @param intervalNanos the backend's aggregation interval
 * @param maxSeries cap on {@code droptop_drops_total} series
 * @param idleNanos a series without drops for this long is removed
 * @param labels the {@code droptop_drops_total} labels kept (the others are left empty)
 * @param diagnosisNanos window over which the diagnosis rules run for {@code droptop_finding}
 */
public record ExportOptions(String host, int port, String backend, long intervalNanos, int maxSeries, long idleNanos,
                            Set<String> labels, long diagnosisNanos) {
    public static final int DEFAULT_MAX_SERIES = 2000;
    public static final long DEFAULT_IDLE_NANOS = 600_000_000_000L;
}
