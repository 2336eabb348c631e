package dev.droptop.model;

/** Turns a kernel text address into {@code symbol + offset} (backed by /proc/kallsyms in production). */
public interface SymbolResolver {
    /** A resolver that knows nothing: every address stays hex. */
    SymbolResolver NONE = address -> null;

    /** The containing symbol of {@code address}, or null when unknown. */
    Resolved resolve(long address);

    /** A resolved address. */
    record Resolved(String symbol, int offset) {
    }
}
