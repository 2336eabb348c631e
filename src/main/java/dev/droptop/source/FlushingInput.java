package dev.droptop.source;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Runs {@code beforeRead} before each read of the underlying stream that could block (nothing
 * {@code available()}): a batching sink hands its drops over there, so a quiet pipe never holds
 * back drops already parsed.
 */
final class FlushingInput extends FilterInputStream {
    private final Runnable beforeRead;

    FlushingInput(InputStream in, Runnable beforeRead) {
        super(in);
        this.beforeRead = beforeRead;
    }

    @Override
    public int read() throws IOException {
        maybeFlush();
        return super.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        maybeFlush();
        return in.read(b, off, len);
    }

    private void maybeFlush() throws IOException {
        if (in.available() == 0) {
            beforeRead.run();
        }
    }
}
