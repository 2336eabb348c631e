package dev.droptop.capture;

import dev.droptop.model.ReasonNames;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Line 1 of a capture: who wrote it, on which machine and kernel, with which backend command, and
 * the clock and window length of the intervals that follow.
 *
 * @param droptop version of the droptop that wrote the capture
 * @param host host name
 * @param kernel kernel release ({@code uname -r})
 * @param backend backend name ({@code perf}, {@code bpftrace}, {@code stap}, ...)
 * @param command the backend's command line
 * @param source {@code live}, or the name of the trace file that was replayed
 * @param startTime wall-clock start
 * @param startNanos trace-clock start, nanoseconds
 * @param intervalNanos window length, nanoseconds (&gt; 0)
 * @param reasons the kernel's {@code skb_drop_reason} numbers to names
 * @param sysctl sysctl values captured at start, name to value
 * @param kernelBuildId the kernel's GNU build-id (hex, from /sys/kernel/notes), null when unknown
 *     (optional field {@code kernelBuildId}, added 2026-12-01 without a version change: older readers ignore it)
 * @param flows the capture has {@code flows} records (a source that reads packet headers, version 2)
 */
public record CaptureHeader(String droptop, String host, String kernel, String backend, List<String> command,
                            String source, Instant startTime, long startNanos, long intervalNanos,
                            Map<Integer, String> reasons, Map<String, String> sysctl, String kernelBuildId,
                            boolean flows)
        implements CaptureRecord {
    public static final String LIVE = "live";

    public CaptureHeader(String droptop, String host, String kernel, String backend, List<String> command,
            String source, Instant startTime, long startNanos, long intervalNanos, Map<Integer, String> reasons,
            Map<String, String> sysctl) {
        this(droptop, host, kernel, backend, command, source, startTime, startNanos, intervalNanos, reasons, sysctl,
                null, false);
    }

    public CaptureHeader {
        Objects.requireNonNull(droptop, "droptop");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(startTime, "startTime");
        if (intervalNanos <= 0) {
            throw new IllegalArgumentException("intervalNanos must be positive: " + intervalNanos);
        }
        command = List.copyOf(command);
        reasons = Collections.unmodifiableMap(new TreeMap<>(reasons));
        sysctl = Collections.unmodifiableMap(new LinkedHashMap<>(sysctl));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The reason table, for resolving raw reason numbers of this capture's kernel. */
    public ReasonNames reasonNames() {
        return new ReasonNames(reasons);
    }

    /** Fills a header; unset strings are empty, times zero, interval one second. */
    public static final class Builder {
        private String droptop = "";
        private String host = "";
        private String kernel = "";
        private String kernelBuildId;
        private String backend = "";
        private List<String> command = List.of();
        private String source = LIVE;
        private Instant startTime = Instant.EPOCH;
        private long startNanos;
        private long intervalNanos = 1_000_000_000L;
        private Map<Integer, String> reasons = Map.of();
        private Map<String, String> sysctl = Map.of();
        private boolean flows;

        public Builder droptop(String v) {
            droptop = v;
            return this;
        }

        public Builder host(String v) {
            host = v;
            return this;
        }

        public Builder kernelBuildId(String v) {
            kernelBuildId = v;
            return this;
        }

        public Builder kernel(String v) {
            kernel = v;
            return this;
        }

        public Builder backend(String v) {
            backend = v;
            return this;
        }

        public Builder command(List<String> v) {
            command = v;
            return this;
        }

        public Builder source(String v) {
            source = v;
            return this;
        }

        public Builder startTime(Instant v) {
            startTime = v;
            return this;
        }

        public Builder startNanos(long v) {
            startNanos = v;
            return this;
        }

        public Builder intervalNanos(long v) {
            intervalNanos = v;
            return this;
        }

        public Builder reasons(Map<Integer, String> v) {
            reasons = v;
            return this;
        }

        public Builder sysctl(Map<String, String> v) {
            sysctl = v;
            return this;
        }

        public Builder flows(boolean v) {
            flows = v;
            return this;
        }

        public CaptureHeader build() {
            return new CaptureHeader(droptop, host, kernel, backend, command, source, startTime, startNanos,
                    intervalNanos, reasons, sysctl, kernelBuildId, flows);
        }
    }
}
