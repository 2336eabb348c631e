package dev.droptop.tui;

import dev.droptop.model.Snapshot;
import java.util.List;

/**
 * The one-line diagnosis slot: findings for a snapshot, best first, as sanitised-on-draw text.
 * The caller wires the diagnosis engine here; the UI shows the first line, in red, above the keys.
 */
@FunctionalInterface
public interface Diagnosis {
    Diagnosis NONE = s -> List.of();

    List<String> lines(Snapshot snapshot);
}
