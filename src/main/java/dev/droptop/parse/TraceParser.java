package dev.droptop.parse;

import dev.droptop.model.DropSink;
import dev.droptop.model.Warnings;
import java.io.IOException;
import java.io.InputStream;

/**
 * A streaming parser of one trace text format. {@link #parse} reads until end of stream and feeds
 * every drop to the sink; odd input is counted in {@link #warnings()}, never thrown. An
 * {@link IOException} means the stream itself failed.
 */
public interface TraceParser {
    void parse(InputStream in, DropSink sink) throws IOException;

    /** Odd lines seen so far, per kind. */
    Warnings warnings();

    /** Drops recorded so far (events, or the sum of aggregated counts). */
    long drops();
}
