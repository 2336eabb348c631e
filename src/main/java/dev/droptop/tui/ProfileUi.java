package dev.droptop.tui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import com.googlecode.lanterna.screen.Screen;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.Terminal;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The profile screen's loop: the profile does not change, so it waits for a key (or a resize) and
 * redraws after each, with {@link Screen.RefreshType#DELTA}. The caller restores the terminal ({@link #close}).
 */
public final class ProfileUi implements AutoCloseable {
    private static final KeyStroke WAKE = new KeyStroke(KeyType.Unknown);

    private final Terminal terminal;
    private final Screen screen;
    private final ProfileData data;
    private final ProfileState state;
    private final Glyphs glyphs;
    private final Painter painter;
    private final BlockingQueue<KeyStroke> keys = new LinkedBlockingQueue<>();

    /** Starts the screen on {@code terminal}; {@code symbol} null starts on the symbol list. */
    public ProfileUi(Terminal terminal, ProfileData data, String symbol, Terminals.Style style) throws IOException {
        this.terminal = terminal;
        this.screen = new TerminalScreen(terminal);
        this.data = data;
        this.state = new ProfileState(symbol);
        this.glyphs = new Glyphs(style.unicode());
        this.painter = new Painter(style.color(), glyphs);
        terminal.addResizeListener((t, size) -> keys.offer(WAKE));
        screen.startScreen();
        screen.setCursorPosition(null);
    }

    /** Runs on the real terminal until the user quits; the terminal is restored in every case. */
    public static void runOnTerminal(ProfileData data, String symbol) throws IOException, InterruptedException {
        Terminals.Style style = Terminals.Style.of(System.getenv());
        Terminal t = Terminals.open(style);
        ProfileUi ui = null;
        try {
            ui = new ProfileUi(t, data, symbol, style);
            ui.run(true);
        } finally {
            if (ui != null) {
                ui.close();
            } else {
                t.close();
            }
        }
    }

    /** Runs until the user quits. Keys come from a reader thread when {@code readTerminal} is set. */
    public void run(boolean readTerminal) throws IOException, InterruptedException {
        if (readTerminal) {
            startReader();
        }
        draw();
        while (!state.quit) {
            KeyStroke k = keys.take();
            boolean resized = false;
            for (; k != null && !state.quit; k = keys.poll()) {
                resized |= k == WAKE;
                press(k);
            }
            resized |= screen.doResizeIfNecessary() != null;
            if (!state.quit) {
                draw(resized);
            }
        }
    }

    /** Queues a key as if typed (tests, and the reader thread). */
    public void offer(KeyStroke k) {
        keys.offer(k);
    }

    /** Handles one key now, on the calling thread. */
    public void press(KeyStroke k) {
        if (k != WAKE) {
            ProfileController.press(k, ProfileView.of(data, state, glyphs), state);
        }
    }

    /** Lays out the screen and draws the difference to the terminal. */
    public void draw() throws IOException {
        draw(false);
    }

    /** After a resize the terminal has reflowed the old screen: clear and repaint it all. */
    private void draw(boolean complete) throws IOException {
        if (complete) {
            screen.doResizeIfNecessary();
            screen.clear();
        }
        TerminalSize size = screen.getTerminalSize();
        List<Line> lines = ProfileScreen.render(ProfileView.of(data, state, glyphs), state, size.getColumns(),
                size.getRows(), glyphs);
        painter.paint(lines, screen.newTextGraphics(), size.getColumns());
        screen.refresh(complete ? Screen.RefreshType.COMPLETE : Screen.RefreshType.DELTA);
    }

    public ProfileState state() {
        return state;
    }

    /** Leaves the alternate screen and restores the terminal; safe to call twice. */
    @Override
    public void close() throws IOException {
        try {
            screen.stopScreen();
        } finally {
            terminal.close();
        }
    }

    private void startReader() {
        KeyReader.start(screen, keys, "droptop-profile-keys");
    }
}
