package dev.droptop.tui;

import java.util.HashSet;
import java.util.Set;

/**
 * What the user chose on the profile screen, owned by the UI thread: the symbol whose trees are
 * shown (null: the symbol list), the focused tree, the cursors and the collapsed tree nodes.
 */
public final class ProfileState {
    /** Which tree the arrows move in. */
    public enum Pane { CALLERS, CALLEES }

    /** The symbol whose trees are shown, or null while the list of top symbols is shown. */
    String symbol;
    /** Whether Esc/Backspace goes back to the list (the symbol was opened from it, not --symbol). */
    boolean fromList;
    int listCursor;
    Pane pane = Pane.CALLERS;
    final int[] treeCursor = new int[Pane.values().length];
    /** Collapsed nodes, as pane + symbol + path of frames. */
    final Set<String> collapsed = new HashSet<>();
    boolean help;
    boolean quit;
    /** Search text ({@code /}, then n/N) in the symbol list or the focused tree. */
    String search = "";
    boolean editingSearch;
    /** A one-off note for the footer (no match); cleared by the next key. */
    String note = "";
    /** {@code w} was pressed: the UI writes the screen to a file and sets {@link #note}. */
    boolean writeRequested;

    /** The trees of {@code symbol} first, or the symbol list when it is null. */
    public ProfileState(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }

    public Pane pane() {
        return pane;
    }

    public boolean isQuit() {
        return quit;
    }

    public boolean isHelp() {
        return help;
    }

    public String search() {
        return search;
    }

    void open(String sym) {
        symbol = sym;
        fromList = true;
        pane = Pane.CALLERS;
        treeCursor[0] = 0;
        treeCursor[1] = 0;
    }
}
