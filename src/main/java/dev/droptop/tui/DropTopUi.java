package dev.droptop.tui;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.terminal.Terminal;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The drop screens (live, replay, lab) on a {@link ScreenLoop}: redrawn when a key came, the terminal
 * was resized, or the feed handed out a new frame. The caller restores the terminal ({@link #close}).
 */
public final class DropTopUi implements AutoCloseable {
    static final long POLL_MILLIS = ScreenLoop.POLL_MILLIS;

    private final Feed feed;
    private final Glyphs glyphs;
    private final ViewState state = new ViewState();
    private final ScreenLoop loop;

    public DropTopUi(Terminal terminal, Feed feed, Terminals.Style style) throws IOException {
        this.feed = feed;
        this.state.names = feed.names();
        this.glyphs = new Glyphs(style.unicode());
        this.loop = new ScreenLoop(terminal, new ScreenLoop.App() {
            @Override
            public void press(KeyStroke k) {
                DropTopUi.this.press(k);
            }

            @Override
            public List<Line> render(int width, int height) {
                state.width = width;
                return Layout.render(View.of(frame(), state, glyphs), state, feed.isReplay(), width, height, glyphs);
            }

            @Override
            public boolean quit() {
                return state.quit;
            }

            @Override
            public Object content() {
                return frame();
            }
        }, new Painter(style.color(), glyphs));
    }

    /** Runs until the user quits. Keys come from a reader thread when {@code readTerminal} is set. */
    public void run(boolean readTerminal) throws IOException, InterruptedException {
        loop.run(readTerminal, "droptop-keys");
    }

    /** Asks the loop to end, from any thread (the capture ended, the backend failed to start). */
    public void requestQuit() {
        loop.requestQuit();
    }

    /**
     * Runs the UI on the real terminal until the user quits; the terminal is restored in every case
     * before this returns or throws, so the caller can print its one-line error on a sane terminal.
     */
    public static void runOnTerminal(Feed feed, java.util.function.Consumer<DropTopUi> started)
            throws IOException, InterruptedException {
        Terminals.Style style = Terminals.Style.of(System.getenv());
        runOnTerminal(Terminals.open(style), style, feed, started);
    }

    /** As above, on a terminal being opened (see {@link Terminals#openAsync}); closes it in every case. */
    public static void runOnTerminal(Terminals.Opening opening, Feed feed, java.util.function.Consumer<DropTopUi> started)
            throws IOException, InterruptedException {
        runOnTerminal(opening.join(), opening.style(), feed, started);
    }

    private static void runOnTerminal(Terminal t, Terminals.Style style, Feed feed,
                                      java.util.function.Consumer<DropTopUi> started)
            throws IOException, InterruptedException {
        DropTopUi ui = null;
        try {
            ui = new DropTopUi(t, feed, style);
            started.accept(ui);
            ui.run(true);
        } finally {
            if (ui != null) {
                ui.close();
            } else {
                t.close();
            }
        }
    }

    /** Queues a key as if typed (tests, and the reader thread). */
    public void offer(KeyStroke k) {
        loop.offer(k);
    }

    /** Handles one key now, on the calling thread. */
    public void press(KeyStroke k) {
        View view = View.of(frame(), state, glyphs);
        Controller.press(k, view, state, feed);
        if (state.writeRequested) {
            state.writeRequested = false;
            write(View.of(frame(), state, glyphs));
        }
    }

    /** {@code w}: writes the view as a text report and says where it went (or why not) in the header. */
    private void write(View view) {
        try {
            state.note = "view written to " + ViewWriter.write(view, state, glyphs, Path.of(""));
        } catch (IOException | RuntimeException e) {
            state.note = "could not write the view: " + e.getMessage();
        }
    }

    /** Lays out the current frame and draws the difference to the terminal. */
    public void draw() throws IOException {
        loop.draw(false);
    }

    public ViewState state() {
        return state;
    }

    public long redraws() {
        return loop.redraws();
    }

    /** Leaves the alternate screen and restores the terminal; safe to call twice. */
    @Override
    public void close() throws IOException {
        loop.close();
    }

    /** The frame to show; the first time the feed says it ended, the table is sorted by total (once). */
    private Frame frame() {
        Frame f = state.paused != null ? state.paused : feed.current();
        if (f.ended() && !state.sortedAtEnd) {
            state.sortedAtEnd = true;
            state.sort = ViewState.Sort.TOTAL;
        }
        return f;
    }
}
