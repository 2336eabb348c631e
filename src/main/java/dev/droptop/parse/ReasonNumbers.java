package dev.droptop.parse;

import dev.droptop.model.ReasonNames;
import dev.droptop.model.SymbolTable;
import dev.droptop.model.Warnings;
import java.util.HashSet;
import java.util.Set;

/**
 * Turns a reason field into a reason symbol: a number goes through the kernel's {@link ReasonNames}
 * table ({@code 2} to {@code NOT_SPECIFIED}); a number the table lacks stays numeric ({@code "999"});
 * a name ({@code NO_SOCKET}) is kept as is. Warnings are counted once per kind: once for
 * {@value #NO_TABLE}, once per distinct number for {@value #UNKNOWN}.
 */
final class ReasonNumbers {
    static final String NO_TABLE = "reason numbers not mapped: no tracepoint format table";
    static final String UNKNOWN = "unknown reason number";

    private final ReasonNames names;
    private final Warnings warnings;
    private final Set<Long> unknown = new HashSet<>();
    private boolean warnedNoTable;

    ReasonNumbers(ReasonNames names, Warnings warnings) {
        this.names = names;
        this.warnings = warnings;
    }

    /** The reason symbol id of {@code b[from, to)} (trimmed by the caller). */
    int intern(byte[] b, int from, int to, SymbolTable symbols) {
        long n = Ascii.parseLong(b, from, to);
        if (n == Ascii.INVALID || n > Integer.MAX_VALUE) {
            return symbols.intern(b, from, to);
        }
        String name = names.name((int) n);
        if (name != null) {
            return symbols.intern(name);
        }
        if (names.isEmpty()) {
            if (!warnedNoTable) {
                warnedNoTable = true;
                warnings.add(NO_TABLE, "reason " + n);
            }
        } else if (unknown.add(n)) {
            warnings.add(UNKNOWN, "reason " + n);
        }
        return symbols.intern(b, from, to);
    }
}
