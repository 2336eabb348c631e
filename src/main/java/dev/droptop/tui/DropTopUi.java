package dev.droptop.tui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import com.googlecode.lanterna.screen.Screen;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.Terminal;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The UI loop: waits for a key or the next poll of the feed (about every 250 ms, no busy loop), and
 * redraws only when a key came, the terminal was resized, or the feed handed out a new frame.
 * Drawing uses {@link Screen.RefreshType#DELTA}. The caller restores the terminal ({@link #close}).
 */
public final class DropTopUi implements AutoCloseable {
    static final long POLL_MILLIS = 250;
    private static final KeyStroke WAKE = new KeyStroke(KeyType.Unknown);
    private static final KeyStroke QUIT = new KeyStroke(KeyType.EOF);

    private final Terminal terminal;
    private final Screen screen;
    private final Feed feed;
    private final Glyphs glyphs;
    private final Painter painter;
    private final ViewState state = new ViewState();
    private final BlockingQueue<KeyStroke> keys = new LinkedBlockingQueue<>();
    private Frame shown;
    private long redraws;

    public DropTopUi(Terminal terminal, Feed feed, Terminals.Style style) throws IOException {
        this.terminal = terminal;
        this.screen = new TerminalScreen(terminal);
        this.feed = feed;
        this.state.names = feed.names();
        this.glyphs = new Glyphs(style.unicode());
        this.painter = new Painter(style.color(), glyphs);
        terminal.addResizeListener((t, size) -> keys.offer(WAKE));
        screen.startScreen();
        screen.setCursorPosition(null);
    }

    /** Runs until the user quits. Keys come from a reader thread when {@code readTerminal} is set. */
    public void run(boolean readTerminal) throws IOException, InterruptedException {
        if (readTerminal) {
            startReader();
        }
        draw();
        while (!state.quit) {
            KeyStroke k = keys.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
            boolean dirty = false;
            boolean resized = false;
            for (; k != null && !state.quit; k = keys.poll()) {
                resized |= k == WAKE;
                press(k);
                dirty = true;
            }
            resized |= screen.doResizeIfNecessary() != null;
            if (!state.quit && (dirty || resized || frame() != shown)) {
                draw(resized);
            }
        }
    }

    /** Asks the loop to end, from any thread (the capture ended, the backend failed to start). */
    public void requestQuit() {
        keys.offer(QUIT);
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
        keys.offer(k);
    }

    /** Handles one key now, on the calling thread. */
    public void press(KeyStroke k) {
        if (k != WAKE) {
            View view = View.of(frame(), state, glyphs);
            Controller.press(k, view, state, feed);
            if (state.writeRequested) {
                state.writeRequested = false;
                write(View.of(frame(), state, glyphs));
            }
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
        draw(false);
    }

    /**
     * Lays out the current frame and draws it; after a resize the whole screen is cleared and
     * repainted, since the terminal has reflowed what was there and a delta would leave debris.
     */
    private void draw(boolean complete) throws IOException {
        if (complete) {
            screen.doResizeIfNecessary();
            screen.clear();
        }
        Frame f = frame();
        TerminalSize size = screen.getTerminalSize();
        state.width = size.getColumns();
        List<Line> lines = Layout.render(View.of(f, state, glyphs), state, feed.isReplay(), size.getColumns(),
                size.getRows(), glyphs);
        painter.paint(lines, screen.newTextGraphics(), size.getColumns());
        screen.refresh(complete ? Screen.RefreshType.COMPLETE : Screen.RefreshType.DELTA);
        shown = f;
        redraws++;
    }

    public ViewState state() {
        return state;
    }

    public long redraws() {
        return redraws;
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

    /** The frame to show; the first time the feed says it ended, the table is sorted by total (once). */
    private Frame frame() {
        Frame f = state.paused != null ? state.paused : feed.current();
        if (f.ended() && !state.sortedAtEnd) {
            state.sortedAtEnd = true;
            state.sort = ViewState.Sort.TOTAL;
        }
        return f;
    }

    private void startReader() {
        KeyReader.start(screen, keys, "droptop-keys");
    }
}
