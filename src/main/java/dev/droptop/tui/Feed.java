package dev.droptop.tui;

/**
 * Where the UI gets its frames. {@link #current()} is called on the UI thread about every 250 ms
 * and must be cheap: return the same instance until there is something new to show.
 */
public interface Feed {
    Frame current();

    /** Replay controls (pause, step, speed); a live feed ignores them. */
    default void control(Keys.Action action) {
    }

    /** Names of the drops' network namespaces, for the netns grouping ({@code g}). */
    default dev.droptop.model.NetnsNames names() {
        return dev.droptop.model.NetnsNames.NONE;
    }

    /** Whether the feed reacts to the replay keys (shown in the footer and help). */
    default boolean isReplay() {
        return false;
    }
}
