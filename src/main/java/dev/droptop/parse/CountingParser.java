package dev.droptop.parse;

import dev.droptop.model.Warnings;

/** What every parser keeps: the odd lines it skipped, per kind, and the drops it recorded. */
abstract class CountingParser implements TraceParser {
    protected final Warnings warnings = new Warnings();
    protected long drops;

    @Override
    public final Warnings warnings() {
        return warnings;
    }

    @Override
    public final long drops() {
        return drops;
    }
}
