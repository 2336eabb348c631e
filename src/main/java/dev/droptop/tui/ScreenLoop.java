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
import java.util.concurrent.TimeUnit;

/**
 * The one screen loop of the drop screens and the profile screen: waits for a key or the next poll
 * (about every 250 ms, no busy loop), and redraws only when a key came, the terminal was resized, or
 * the {@link App}'s content changed. Drawing uses {@link Screen.RefreshType#DELTA}; after a resize the
 * whole screen is repainted. The owner restores the terminal ({@link #close}).
 */
final class ScreenLoop implements AutoCloseable {
    static final long POLL_MILLIS = 250;
    private static final KeyStroke WAKE = new KeyStroke(KeyType.Unknown);
    private static final KeyStroke QUIT = new KeyStroke(KeyType.EOF);

    /** What the loop shows: keys in, lines out. All calls come from the loop's thread. */
    interface App {
        void press(KeyStroke k);

        /** The whole screen, exactly {@code height} lines. */
        List<Line> render(int width, int height);

        boolean quit();

        /** An object that changes (by identity) when there is something new to draw without a key. */
        Object content();
    }

    private final Terminal terminal;
    private final Screen screen;
    private final App app;
    private final Painter painter;
    private final BlockingQueue<KeyStroke> keys = new LinkedBlockingQueue<>();
    private Object shown;
    private long redraws;

    ScreenLoop(Terminal terminal, App app, Painter painter) throws IOException {
        this.terminal = terminal;
        this.screen = new TerminalScreen(terminal);
        this.app = app;
        this.painter = painter;
        terminal.addResizeListener((t, size) -> keys.offer(WAKE));
        screen.startScreen();
        screen.setCursorPosition(null);
    }

    /** Runs until the app quits. Keys come from a reader thread when {@code readTerminal} is set. */
    void run(boolean readTerminal, String threadName) throws IOException, InterruptedException {
        if (readTerminal) {
            KeyReader.start(screen, keys, threadName);
        }
        draw(false);
        while (!app.quit()) {
            KeyStroke k = keys.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
            boolean dirty = false;
            boolean resized = false;
            for (; k != null && !app.quit(); k = keys.poll()) {
                resized |= k == WAKE;
                if (k != WAKE) {
                    app.press(k);
                }
                dirty = true;
            }
            resized |= screen.doResizeIfNecessary() != null;
            if (!app.quit() && (dirty || resized || app.content() != shown)) {
                draw(resized);
            }
        }
    }

    void offer(KeyStroke k) {
        keys.offer(k);
    }

    /** Asks the loop to end, from any thread. */
    void requestQuit() {
        keys.offer(QUIT);
    }

    TerminalSize size() {
        return screen.getTerminalSize();
    }

    void draw(boolean complete) throws IOException {
        if (complete) {
            screen.doResizeIfNecessary();
            screen.clear();
        }
        shown = app.content();
        TerminalSize size = screen.getTerminalSize();
        painter.paint(app.render(size.getColumns(), size.getRows()), screen.newTextGraphics(), size.getColumns());
        screen.refresh(complete ? Screen.RefreshType.COMPLETE : Screen.RefreshType.DELTA);
        redraws++;
    }

    long redraws() {
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
}
