package dev.droptop.model;

/**
 * Where the kernel symbols of one input came from, for the report: {@code source} is one of
 * {@code trace} (the trace named its frames itself), {@code kallsyms-file}, {@code buildid-cache},
 * {@code archive}, {@code running-kernel} or {@code none}; {@code kernel} is what the trace says about
 * its kernel; {@code warning} is the one line to show when addresses stay hex (else null); {@code note}
 * qualifies the choice (e.g. matched by release only), else null.
 */
public record SymbolOrigin(String input, String source, TraceKernel kernel, String warning, String note) {
}
