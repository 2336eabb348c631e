package dev.droptop.diagnose;

import dev.droptop.model.Snapshot;
import dev.droptop.model.SystemState;
import java.util.Optional;

/**
 * One cause of drops. A rule looks at the drops and the system state and, when its cause is
 * present, returns one finding with the evidence it used and the remedy.
 *
 * <p>Contract: pure and cheap (no I/O, no state kept between calls); never throws on empty input;
 * {@link SystemState#none()} means "unknown", not "healthy", so a rule that needs system state
 * either stays silent or says "likely" and how to confirm. Text taken from the trace (symbols,
 * reasons) is passed through unchanged; views sanitize it.
 */
public interface Rule {
    Optional<Finding> apply(Snapshot drops, SystemState system);
}
