package dev.droptop.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.droptop.model.DropAggregator;
import dev.droptop.model.DropKey;
import dev.droptop.model.Flow;
import dev.droptop.model.FlowCount;
import dev.droptop.model.StackTable;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Version 2's flows records: written before their interval, read back into the same window; v1 reads as no flows. */
class FlowsCaptureTest {
    private static final long SEC = 1_000_000_000L;
    private static final DropKey UDP = new DropKey("__udp4_lib_rcv", 0x4bc, "NO_SOCKET", 0x0800, 4026532386L, "vb1");
    private static final Flow F1 = new Flow("198.18.151.1", "198.18.151.2", 40000, 9, 17);
    private static final Flow F6 = new Flow("2001:db8::1", "2001:db8::2", -1, -1, 58);

    @Test
    void flowsRoundTripPerInterval() throws IOException {
        DropAggregator src = new DropAggregator(SEC);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CaptureHeader h = CaptureHeader.builder().backend("bpftrace").startNanos(0).flows(true)
                .startTime(Instant.parse("2026-12-01T10:00:00Z")).build();
        CaptureWriter w = new CaptureWriter(out, h, src.stacks());
        src.addListener(w);
        src.record(UDP, StackTable.NO_STACK, 700, SEC);
        src.flow(UDP, F1, 690, SEC);
        src.flow(UDP, Flow.OTHER, 10, SEC);
        src.intervalEnd(SEC);
        src.record(UDP, StackTable.NO_STACK, 300, 2 * SEC);
        src.flow(UDP, F1, 299, 2 * SEC);
        src.flow(UDP.withoutNamespace(), F6, 1, 2 * SEC);
        src.intervalEnd(2 * SEC);
        w.close(CaptureEnd.COMPLETED, "", null);
        String text = out.toString(StandardCharsets.UTF_8);
        List<String> lines = text.lines().toList();
        assertTrue(lines.get(0).contains("\"version\":2") && lines.get(0).contains("\"flows\":true"), lines.get(0));
        assertTrue(lines.get(1).startsWith("{\"type\":\"flows\",\"index\":0,"), lines.get(1));
        assertTrue(lines.get(2).startsWith("{\"type\":\"interval\",\"index\":0,"), lines.get(2));
        assertTrue(lines.get(1).contains("\"src\":\"198.18.151.1\",\"dst\":\"198.18.151.2\",\"sport\":40000,\"dport\":9,\"proto\":17,\"count\":690"),
                lines.get(1));
        assertTrue(lines.get(1).contains("\"other\":true,\"count\":10"), lines.get(1));

        DropAggregator back = new DropAggregator(SEC);
        CaptureReader.Result r = CaptureReader.read(new ByteArrayInputStream(out.toByteArray()), "f.jsonl", back);
        assertTrue(r.header().flows());
        assertEquals(Set.of(new FlowCount(UDP, F1, 989), new FlowCount(UDP, Flow.OTHER, 10),
                new FlowCount(UDP.withoutNamespace(), F6, 1)), Set.copyOf(back.snapshot().flows()));
        // per window too: replay's timeline sees the same split
        DropAggregator perWindow = new DropAggregator(SEC);
        List<List<FlowCount>> windows = new java.util.ArrayList<>();
        perWindow.addListener(iv -> windows.add(iv.flows()));
        CaptureReader.read(new ByteArrayInputStream(out.toByteArray()), "f.jsonl", perWindow);
        assertEquals(2, windows.size());
        assertEquals(700, windows.get(0).stream().mapToLong(FlowCount::count).sum());
        assertEquals(300, windows.get(1).stream().mapToLong(FlowCount::count).sum());
    }

    @Test
    void versionOneCapturesHaveNoFlows() throws IOException {
        String v1 = "{\"type\":\"header\",\"format\":\"droptop-capture\",\"version\":1,\"droptop\":\"0.1.0\",\"host\":\"h\","
                + "\"kernel\":\"k\",\"backend\":\"perf\",\"command\":[],\"source\":\"live\",\"startTime\":\"2026-11-23T09:30:00Z\","
                + "\"startNanos\":0,\"intervalNanos\":1000000000}\n"
                + "{\"type\":\"interval\",\"index\":0,\"start\":0,\"end\":1000000000,\"lost\":0,\"drops\":[{\"symbol\":\"x\",\"reason\":\"NO_SOCKET\",\"count\":3}]}\n";
        DropAggregator agg = new DropAggregator(SEC);
        CaptureReader.Result r = CaptureReader.read(new ByteArrayInputStream(v1.getBytes(StandardCharsets.UTF_8)), "v1.jsonl", agg);
        assertFalse(r.header().flows());
        assertEquals(1, r.version());
        assertEquals(3, r.total());
        assertTrue(agg.snapshot().flows().isEmpty());
    }

    @Test
    void badFlowsRecordsAreErrorsWithTheLine() {
        String head = "{\"type\":\"header\",\"format\":\"droptop-capture\",\"version\":2,\"droptop\":\"0.1.0\",\"host\":\"h\","
                + "\"kernel\":\"k\",\"backend\":\"bpftrace\",\"command\":[],\"source\":\"live\",\"startTime\":\"2026-11-23T09:30:00Z\","
                + "\"startNanos\":0,\"intervalNanos\":1000000000,\"flows\":true}\n";
        String iv = "{\"type\":\"interval\",\"index\":0,\"start\":0,\"end\":1000000000,\"lost\":0,\"drops\":[]}\n";
        String flow = "{\"type\":\"flows\",\"index\":0,\"flows\":[{\"symbol\":\"x\",\"reason\":\"R\",\"src\":\"%s\",\"dst\":\"1.2.3.4\",\"count\":%s}]}\n";
        assertEquals("f.jsonl:2: flows[0]: \"src\" is not an IP address",
                error(head + String.format(flow, "\\u001b[31m", "1") + iv));
        assertEquals("f.jsonl:2: flows[0]: negative \"count\" (-1)", error(head + String.format(flow, "1.2.3.5", "-1") + iv));
        assertEquals("f.jsonl:3: flows record for interval 0 comes after that interval",
                error(head + iv + String.format(flow, "1.2.3.5", "1")));
        assertEquals("f.jsonl:3: interval 1 follows the flows of interval 0",
                error(head + String.format(flow, "1.2.3.5", "1")
                        + iv.replace("\"index\":0", "\"index\":1")));
    }

    private static String error(String capture) {
        IOException e = assertThrows(IOException.class, () -> CaptureReader.read(
                new ByteArrayInputStream(capture.getBytes(StandardCharsets.UTF_8)), "f.jsonl", new DropAggregator(SEC)));
        return e.getMessage();
    }

    @SuppressWarnings("unused")
    private static String keys(List<FlowCount> flows) {
        return flows.stream().map(f -> f.flow().toString()).collect(Collectors.joining(","));
    }
}
