package dev.droptop.capture;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.droptop.model.DropAggregator;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompatTest {
    /**
     * Version 0 never existed; this table describes the synthetic {@code v0-synthetic.fixture.jsonl}: no
     * {@code source}, {@code interval_ns} instead of {@code intervalNanos}, {@code lost_events} instead of
     * {@code lost}.
     */
    private static final Compat SYNTHETIC_V0 = new Compat(List.of(
            new Compat.Rename(0, "header/interval_ns", "header/intervalNanos"),
            new Compat.Add(0, "header/source", "unknown"),
            new Compat.Rename(0, "interval/lost_events", "interval/lost")));

    @Test
    void versionZeroFixtureIsUpgraded() throws IOException {
        byte[] file = CaptureTestSupport.resource("v0-synthetic.fixture.jsonl");
        DropAggregator[] agg = new DropAggregator[1];
        CaptureReader.Result r = CaptureReader.read(new ByteArrayInputStream(file), "v0.jsonl",
                h -> agg[0] = new DropAggregator(h.intervalNanos()), SYNTHETIC_V0);
        assertEquals(0, r.version());
        assertEquals(500_000_000L, r.header().intervalNanos());
        assertEquals("unknown", r.header().source());
        assertEquals(9, r.total());
        assertEquals(4, r.lost());
        assertTrue(r.complete());
        assertEquals(500_000_000L, agg[0].intervalNanos());
        assertEquals(4, agg[0].snapshot().lost());
    }

    @Test
    void standardTableRejectsVersionZero() {
        byte[] file = CaptureTestSupport.resource("v0-synthetic.fixture.jsonl");
        IOException e = assertThrows(IOException.class,
                () -> CaptureReader.read(new ByteArrayInputStream(file), "v0.jsonl", new DropAggregator(1)));
        assertEquals("v0.jsonl: capture format version 0 is not supported (this droptop reads versions 1 to 2)",
                e.getMessage());
    }

    @Test
    void fixupsApplyFromTheirVersionOnAndKeepPresentValues() throws IOException {
        Compat compat = new Compat(List.of(
                new Compat.Add(1, "header/x", 1L),
                new Compat.Add(0, "header/source", "unknown"),
                new Compat.Remove(0, "header/old"),
                new Compat.Rename(0, "header/nested/a", "header/nested/b")));
        ObjectNode v1 = parse("{\"source\":\"live\",\"old\":1,\"nested\":{\"a\":2}}");
        compat.upgrade(1, "header", v1);
        assertEquals("{\"source\":\"live\",\"old\":1,\"nested\":{\"a\":2},\"x\":1}", v1.toString());
        ObjectNode v0 = parse("{\"old\":1,\"nested\":{\"a\":2}}");
        compat.upgrade(0, "header", v0);
        assertEquals("{\"nested\":{\"b\":2},\"source\":\"unknown\",\"x\":1}", v0.toString());
        assertEquals(0, compat.oldestVersion());
        compat.upgrade(0, "interval", v0); // other record types untouched
        assertEquals(3, v0.size());
    }

    @Test
    void tableEntriesAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new Compat.Rename(0, "header/a", "interval/a"));
        assertThrows(IllegalArgumentException.class, () -> new Compat.Add(0, "source", "x"));
        assertThrows(IllegalArgumentException.class, () -> new Compat.Add(0, "header/x", new Object()));
    }

    private static ObjectNode parse(String json) throws IOException {
        return (ObjectNode) new ObjectMapper().readTree(json);
    }
}
