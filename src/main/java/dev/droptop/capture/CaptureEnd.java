package dev.droptop.capture;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The last line of a capture that was closed (not killed).
 *
 * @param timeNanos trace-clock end: the end of the last interval written
 * @param total drops written over all intervals
 * @param lost lost events written over all intervals
 * @param status one of {@link #COMPLETED}, {@link #INTERRUPTED}, {@link #FAILED}, {@link #ABORTED} (readers
 *               accept any string)
 * @param message why the capture ended, for a user ("" when it completed)
 * @param warnings odd-input counts of the source, kind to count
 */
public record CaptureEnd(long timeNanos, long total, long lost, String status, String message,
                         Map<String, Long> warnings) implements CaptureRecord {
    /** The source ended by itself (end of a trace file, backend exited 0). */
    public static final String COMPLETED = "completed";
    /** The user stopped the capture (q, Ctrl-C, --duration elapsed). */
    public static final String INTERRUPTED = "interrupted";
    /** The backend failed; {@code message} says how. */
    public static final String FAILED = "failed";
    /** The writer was closed without a status (an exception path). */
    public static final String ABORTED = "aborted";

    public CaptureEnd {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(message, "message");
        warnings = Collections.unmodifiableMap(new LinkedHashMap<>(warnings));
    }
}
