package dev.droptop.model;

/**
 * Frames that belong to the drop machinery itself rather than to the code that dropped: the free
 * function the tracepoint sits in and the tracing glue above it. A stack is cut so that it starts
 * at the drop location; when the location is not on the stack these leading frames are removed.
 */
public final class DropFrames {
    private DropFrames() {
    }

    /** True for {@code kfree_skb_reason}, {@code sk_skb_reason_drop}, {@code trace_event_raw_event_kfree_skb}... */
    public static boolean isDropHelper(String frame) {
        return frame.startsWith("kfree_skb")
                || frame.startsWith("sk_skb_reason_drop")
                || frame.startsWith("__kfree_skb")
                || frame.startsWith("consume_skb")
                || frame.contains("trace_kfree_skb")
                || frame.contains("traceiter_kfree_skb")
                || frame.startsWith("trace_event_raw_event_")
                || frame.startsWith("perf_trace_")
                || frame.startsWith("bpf_prog_")
                || frame.startsWith("bpf_trace_run")
                || frame.startsWith("__bpf_trace_");
    }
}
