package dev.droptop.tui;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import com.googlecode.lanterna.screen.Screen;
import java.io.IOException;
import java.util.concurrent.BlockingQueue;

/**
 * Reads keys from the terminal on a daemon thread into the UI loop's queue, so the loop can wait for
 * a key or its next tick; an end of input or a terminal error arrives as an EOF key.
 */
final class KeyReader {
    private KeyReader() {
    }

    static void start(Screen screen, BlockingQueue<KeyStroke> keys, String name) {
        Thread t = new Thread(() -> {
            try {
                while (true) {
                    KeyStroke k = screen.readInput();
                    if (k != null) {
                        keys.offer(k);
                        if (k.getKeyType() == KeyType.EOF) {
                            return;
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                keys.offer(new KeyStroke(KeyType.EOF));
            }
        }, name);
        t.setDaemon(true);
        t.start();
    }
}
