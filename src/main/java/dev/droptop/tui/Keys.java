package dev.droptop.tui;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** Every key the UI knows, bound once to an action (like TTop's {@code bindKeys}). */
public final class Keys {
    /** What a key does. */
    public enum Action {
        UP("select the row above"), DOWN("select the row below"), PAGE_UP("one page up"), PAGE_DOWN("one page down"),
        TOGGLE("expand / collapse the call graph node or folded chain"),
        SWITCH_PANE("next pane: table, call graph, findings"), FINDINGS("findings: evidence and advice (f again: back)"),
        SORT("cycle sort: rate, total, name"), GROUP("group by location / reason / both / netns"),
        FILTER("table: filter rows; call graph: search (Esc clears)"), SEARCH_NEXT("next search match"),
        SEARCH_PREV("previous search match"), WRITE("write the current view to a text file"),
        CLEAR("clear the filter, close help"),
        PAUSE("pause the display (capture continues)"), HELP("this help"), QUIT("quit"),
        PLAY("replay: pause / resume"), STEP_BACK("replay: one interval back"),
        STEP_FORWARD("replay: one interval forward"), FIRST("replay: first interval"), LAST("replay: last interval"),
        FASTER("replay: faster"), SLOWER("replay: slower");

        private final String help;

        Action(String help) {
            this.help = help;
        }

        public String help() {
            return help;
        }

        public boolean isReplay() {
            return ordinal() >= PLAY.ordinal();
        }
    }

    private static final Map<KeyType, Action> SPECIAL = new EnumMap<>(KeyType.class);
    private static final Map<Character, Action> CHARS = new LinkedHashMap<>();
    /** Key names for the help overlay, in binding order. */
    private static final Map<Action, String> NAMES = new EnumMap<>(Action.class);

    static {
        bind(Action.UP, "↑ k", KeyType.ArrowUp, 'k');
        bind(Action.DOWN, "↓ j", KeyType.ArrowDown, 'j');
        bind(Action.PAGE_UP, "PgUp", KeyType.PageUp);
        bind(Action.PAGE_DOWN, "PgDn", KeyType.PageDown);
        bind(Action.TOGGLE, "Enter", KeyType.Enter);
        bind(Action.SWITCH_PANE, "Tab", KeyType.Tab, KeyType.ReverseTab);
        bind(Action.FINDINGS, "f", 'f');
        bind(Action.SORT, "s", 's');
        bind(Action.GROUP, "g", 'g');
        bind(Action.FILTER, "/", '/');
        bind(Action.SEARCH_NEXT, "n", 'n');
        bind(Action.SEARCH_PREV, "N", 'N');
        bind(Action.WRITE, "w", 'w');
        bind(Action.CLEAR, "Esc", KeyType.Escape);
        bind(Action.PAUSE, "p", 'p');
        bind(Action.HELP, "?", '?', 'h');
        bind(Action.QUIT, "q", 'q', 'Q');
        bind(Action.PLAY, "space", ' ');
        bind(Action.STEP_BACK, "←", KeyType.ArrowLeft);
        bind(Action.STEP_FORWARD, "→", KeyType.ArrowRight);
        bind(Action.FIRST, "Home", KeyType.Home);
        bind(Action.LAST, "End", KeyType.End);
        bind(Action.FASTER, "+", '+', '=');
        bind(Action.SLOWER, "-", '-');
    }

    private Keys() {
    }

    private static void bind(Action action, String name, Object... keys) {
        NAMES.put(action, name);
        for (Object k : keys) {
            if (k instanceof KeyType) {
                SPECIAL.put((KeyType) k, action);
            } else {
                CHARS.put((Character) k, action);
            }
        }
    }

    /** The action of a key stroke, or null. Ctrl-C quits. */
    public static Action of(KeyStroke k) {
        if (k == null) {
            return null;
        }
        if (k.getKeyType() == KeyType.Character) {
            if (k.isCtrlDown() && (k.getCharacter() == 'c' || k.getCharacter() == 'C')) {
                return Action.QUIT;
            }
            return k.isCtrlDown() || k.isAltDown() ? null : CHARS.get(k.getCharacter());
        }
        return k.getKeyType() == KeyType.EOF ? Action.QUIT : SPECIAL.get(k.getKeyType());
    }

    public static String name(Action action) {
        return NAMES.get(action);
    }
}
