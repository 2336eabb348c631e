package dev.droptop.tui;

import dev.droptop.diagnose.Finding;
import dev.droptop.model.Snapshot;
import java.util.List;

/**
 * The diagnosis of a snapshot, best first. The caller wires the diagnosis engine here; the UI shows
 * the first summary in red above the keys and every finding (evidence, advice) in the findings pane.
 * Text is sanitised on draw.
 */
@FunctionalInterface
public interface Diagnosis {
    Diagnosis NONE = s -> List.of();

    List<Finding> findings(Snapshot snapshot);
}
