package dev.droptop.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.droptop.model.DropAggregator;
import dev.droptop.model.Warnings;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The optional kernelBuildId of a capture header: written when known, read back, absent in older files. */
class CaptureBuildIdTest {
    private static final String BID = "a3e4cd60a8ec14f02aa41b41d5b5846d3d9f1dd8";

    private static byte[] capture(CaptureHeader h) throws Exception {
        DropAggregator agg = new DropAggregator(1_000_000_000L);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CaptureWriter w = new CaptureWriter(out, h, agg.stacks());
        agg.addListener(w);
        w.close(CaptureEnd.COMPLETED, "", new Warnings());
        return out.toByteArray();
    }

    @Test
    void buildIdSurvivesWriteAndRead() throws Exception {
        CaptureHeader h = CaptureHeader.builder().droptop("0.1.0").host("vm").kernel("6.18.44-fc-v1045")
                .backend("bpftrace").kernelBuildId(BID).build();
        byte[] b = capture(h);
        assertTrue(new String(b, StandardCharsets.UTF_8).contains("\"kernelBuildId\":\"" + BID + "\""));
        assertEquals(BID, CaptureTestSupport.replay(b, "b.jsonl").result().header().kernelBuildId());
    }

    @Test
    void olderCapturesAndOddValuesHaveNone() throws Exception {
        CaptureHeader h = CaptureHeader.builder().droptop("0.1.0").host("vm").kernel("6.18.44").backend("perf").build();
        byte[] b = capture(h);
        String text = new String(b, StandardCharsets.UTF_8);
        assertTrue(!text.contains("kernelBuildId"), text);
        assertNull(CaptureTestSupport.replay(b, "old.jsonl").result().header().kernelBuildId());
        byte[] odd = text.replace("\"kernel\":", "\"kernelBuildId\":\"$(rm -rf /)\",\"kernel\":")
                .getBytes(StandardCharsets.UTF_8);
        assertNull(CaptureTestSupport.replay(odd, "odd.jsonl").result().header().kernelBuildId());
    }
}
