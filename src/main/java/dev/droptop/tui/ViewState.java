package dev.droptop.tui;

import java.util.HashSet;
import java.util.Set;

/**
 * What the user chose, owned by the UI thread: sort, grouping, filter, pause, the focused pane,
 * the selected row by key (htop's {@code following}) and the collapsed call-graph nodes.
 */
public final class ViewState {
    /** Table order. */
    public enum Sort { RATE, TOTAL, NAME }

    /** What a table row stands for. */
    public enum Group { BOTH, LOCATION, REASON, NETNS }

    /**
     * Which pane the arrows move in, in Tab order. The table stays on screen; the lower half shows the
     * call graph, or the pane itself when it is not the table or the call graph (see {@link Layout}).
     * A new pane is a constant here, a case in {@code Layout.lower}, and (optionally) a key in {@link Keys}.
     */
    public enum Pane { TABLE, TREE, FLOWS, FINDINGS }

    Sort sort = Sort.RATE;
    Group group = Group.BOTH;
    Pane pane = Pane.TABLE;
    /** Key of the selected row ({@link DropRows.TableRow#id()}), or null for the first row. */
    String selected;
    int tableTop;
    int treeCursor;
    int treeTop;
    /** Collapsed call-graph nodes, as row id + path of frames. */
    final Set<String> collapsed = new HashSet<>();
    String filter = "";
    /** Names for the NETNS grouping (set from the feed). */
    dev.droptop.model.NetnsNames names = dev.droptop.model.NetnsNames.NONE;
    boolean editingFilter;
    /** Search text of the call graph ({@code /} there, then n/N), kept apart from the table filter. */
    String search = "";
    boolean editingSearch;
    /** First line shown in the findings pane. */
    int findingsTop;
    /** Set once the feed ended and the table was sorted by total (s still cycles afterwards). */
    boolean sortedAtEnd;
    /** A one-off note for the header (e.g. where {@code w} wrote the view); cleared by the next key. */
    String note = "";
    /** {@code w} was pressed: the UI loop writes the view and sets {@link #note}. */
    boolean writeRequested;
    /** Width of the last drawn screen (the findings pane wraps to it). */
    int width = 80;
    /** Frame held while the display is paused (the feed keeps going). */
    Frame paused;
    boolean help;
    boolean quit;

    public Sort sort() {
        return sort;
    }

    public Group group() {
        return group;
    }

    public Pane pane() {
        return pane;
    }

    public String selected() {
        return selected;
    }

    public String filter() {
        return filter;
    }

    public boolean isPaused() {
        return paused != null;
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

    public String note() {
        return note;
    }

    static <E extends Enum<E>> E next(E value) {
        E[] all = value.getDeclaringClass().getEnumConstants();
        return all[(value.ordinal() + 1) % all.length];
    }
}
