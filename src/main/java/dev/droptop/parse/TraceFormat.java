package dev.droptop.parse;

/** The inputs droptop reads, as told apart by {@link FormatGuess}. */
public enum TraceFormat {
    CAPTURE("droptop capture"),
    PERF_DATA("perf.data"),
    PERF_SCRIPT("perf script text"),
    TRACEFS("tracefs trace_pipe text"),
    STAP("SystemTap dropwatch output"),
    BPFTRACE("bpftrace output"),
    UNKNOWN("unknown");

    private final String description;

    TraceFormat(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
