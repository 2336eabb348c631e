package dev.droptop.tui;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.terminal.Terminal;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The profile screen on a {@link ScreenLoop}: the profile does not change, so it redraws after each key
 * (or a resize) only. The caller restores the terminal ({@link #close}).
 */
public final class ProfileUi implements AutoCloseable {
    private final ProfileData data;
    private final ProfileState state;
    private final Glyphs glyphs;
    private final ScreenLoop loop;

    /** Starts the screen on {@code terminal}; {@code symbol} null starts on the symbol list. */
    public ProfileUi(Terminal terminal, ProfileData data, String symbol, Terminals.Style style) throws IOException {
        this.data = data;
        this.state = new ProfileState(symbol);
        this.glyphs = new Glyphs(style.unicode());
        this.loop = new ScreenLoop(terminal, new ScreenLoop.App() {
            @Override
            public void press(KeyStroke k) {
                ProfileUi.this.press(k);
            }

            @Override
            public List<Line> render(int width, int height) {
                return ProfileScreen.render(ProfileView.of(data, state, glyphs), state, width, height, glyphs);
            }

            @Override
            public boolean quit() {
                return state.quit;
            }

            @Override
            public Object content() {
                return data;
            }
        }, new Painter(style.color(), glyphs));
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
        loop.run(readTerminal, "droptop-profile-keys");
    }

    /** Queues a key as if typed (tests, and the reader thread). */
    public void offer(KeyStroke k) {
        loop.offer(k);
    }

    /** Handles one key now, on the calling thread. */
    public void press(KeyStroke k) {
        ProfileController.press(k, ProfileView.of(data, state, glyphs), state);
        if (state.writeRequested) {
            state.writeRequested = false;
            try {
                Path p = ViewWriter.write(ViewWriter.lines(ProfileView.of(data, state, glyphs), state, glyphs), Path.of(""));
                state.note = "view written to " + p;
            } catch (IOException | RuntimeException e) {
                state.note = "could not write the view: " + e.getMessage();
            }
        }
    }

    /** Lays out the screen and draws the difference to the terminal. */
    public void draw() throws IOException {
        loop.draw(false);
    }

    public ProfileState state() {
        return state;
    }

    /** Leaves the alternate screen and restores the terminal; safe to call twice. */
    @Override
    public void close() throws IOException {
        loop.close();
    }
}
