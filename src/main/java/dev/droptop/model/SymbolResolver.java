package dev.droptop.model;

/** Turns a kernel text address into {@code symbol + offset} (backed by /proc/kallsyms in production). */
public interface SymbolResolver {
    /** A resolver that knows nothing: every address stays hex. */
    SymbolResolver NONE = address -> null;

    /** The containing symbol of {@code address}, or null when unknown. */
    Resolved resolve(long address);

    /**
     * As {@link #resolve}, for an address the trace already names (only its offset is wanted): a miss here
     * is nothing to warn about.
     */
    default Resolved offsetOf(long address) {
        return resolve(address);
    }

    /**
     * What the trace says about the kernel that recorded it (parsers call this as they meet it, before
     * the addresses that need it): a resolver that checks identity uses it; others ignore it.
     */
    default void traceKernel(TraceKernel kernel) {
    }

    /** A resolved address. */
    record Resolved(String symbol, int offset) {
    }
}
