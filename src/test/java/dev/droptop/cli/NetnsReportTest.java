package dev.droptop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.droptop.capture.CaptureEnd;
import dev.droptop.capture.CaptureHeader;
import dev.droptop.capture.CaptureWriter;
import dev.droptop.model.DropAggregator;
import dev.droptop.model.DropKey;
import dev.droptop.model.NetnsInfo;
import dev.droptop.model.NetnsNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A capture with drops in two named namespaces (and one container's) shows them apart in every report format. */
class NetnsReportTest {
    static final long BLUE = 4026532500L;
    static final long RED = 4026532600L;
    static final long POD = 4026532700L;
    static final String ID = "3f2a9c0d1e4b5a6978877665544332211ffeeddccbbaa0099887766554433221";

    @TempDir
    Path dir;

    /** Writes the capture: 300 NO_SOCKET drops in blue/lo, 200 in red/veth1, 50 in a pod's netns, 7 with no device. */
    static Path twoNamespaces(Path dir) throws Exception {
        Path file = dir.resolve("two-netns.jsonl");
        long s = 1_000_000_000L;
        DropAggregator agg = new DropAggregator(s);
        CaptureHeader h = CaptureHeader.builder().droptop("test").host("vm").kernel("6.18.44").backend("bpftrace")
                .command(List.of("bpftrace", "probes/drops.bt")).source(CaptureHeader.LIVE)
                .startTime(Instant.parse("2026-12-01T10:00:00Z")).startNanos(0).intervalNanos(s).build();
        try (CaptureWriter w = CaptureWriter.open(file, h, agg.stacks())) {
            w.setNetnsNames(NetnsNames.of(Map.of(
                    BLUE, new NetnsInfo(BLUE, "blue", 812, "sleep", null, null, null, null, false),
                    RED, new NetnsInfo(RED, "red", 0, null, null, null, null, null, false),
                    POD, new NetnsInfo(POD, null, 900, "nginx", "containerd", ID, "8d3c5f6e-1a2b-4c3d-9e8f-0a1b2c3d4e5f",
                            "web/nginx-7f9", false))));
            agg.addListener(w);
            agg.record(new DropKey("__udp4_lib_rcv", 0x2a1, "NO_SOCKET", 0x800, BLUE, "lo"), 0, 300, 0);
            agg.record(new DropKey("__udp4_lib_rcv", 0x2a1, "NO_SOCKET", 0x800, RED, "veth1"), 0, 200, 0);
            agg.intervalEnd(s);
            agg.record(new DropKey("__udp4_lib_rcv", 0x2a1, "NO_SOCKET", 0x800, POD, "eth0"), 0, 50, 0);
            agg.record(new DropKey("ip_finish_output2", 0x10, "NOT_SPECIFIED", 0x800, 0, ""), 0, 7, 0);
            agg.intervalEnd(2 * s);
            w.close(CaptureEnd.COMPLETED, "", null);
        }
        return file;
    }

    @Test
    void textJsonAndCsvSplitByNamespace() throws Exception {
        Path f = twoNamespaces(dir);
        CliRunner.Result text = CliRunner.run("report", f.toString());
        assertEquals(0, text.code(), text.stderr());
        assertTrue(text.stdout().matches("(?s).*\\n  blue +4026532500 +lo +300 .*pid 812 sleep.*"), text.stdout());
        assertTrue(text.stdout().matches("(?s).*\\n  red +4026532600 +veth1 +200 .*"), text.stdout());
        assertTrue(text.stdout().matches("(?s).*\\n  web/nginx-7f9 +4026532700 +eth0 +50 .*containerd 3f2a9c0d1e4b.*"),
                text.stdout());

        CliRunner.Result json = CliRunner.run("report", f.toString(), "--format", "json");
        JsonNode root = new ObjectMapper().readTree(json.stdout());
        assertTrue(root.get("netnsUnknown").isNull());
        JsonNode drops = root.get("drops");
        assertEquals(4, drops.size(), json.stdout());
        assertEquals("blue", drops.get(0).get("netns").get("name").asText());
        assertEquals(300, drops.get(0).get("count").asLong());
        assertEquals("lo", drops.get(0).get("device").asText());
        assertEquals("red", drops.get(1).get("netns").get("label").asText());
        assertEquals(ID, drops.get(2).get("netns").get("container").asText());
        assertTrue(drops.get(3).get("netns").isNull());
        assertTrue(drops.get(3).get("device").isNull());

        CliRunner.Result csv = CliRunner.run("report", f.toString(), "--format", "csv");
        List<String> lines = csv.stdout().lines().toList();
        assertEquals("symbol,offset,location,reason,protocol,protocolName,count,share,netns,netnsName,container,device",
                lines.get(0));
        assertEquals("__udp4_lib_rcv,673,__udp4_lib_rcv+0x2a1,NO_SOCKET,2048,IPv4,300,0.538600,4026532500,blue,,lo", lines.get(1));
        assertEquals("__udp4_lib_rcv,673,__udp4_lib_rcv+0x2a1,NO_SOCKET,2048,IPv4,50,0.089767,4026532700,web/nginx-7f9," + ID + ",eth0",
                lines.get(3));
        assertEquals("ip_finish_output2,16,ip_finish_output2+0x10,NOT_SPECIFIED,2048,IPv4,7,0.012567,,,,", lines.get(4));
    }

    @Test
    void backendsWithoutNamespacesSaySo() throws Exception {
        CliRunner.Result json = CliRunner.run("report", CliRunner.project("samples/perf/nft-udp-drop.perf.txt").toString(),
                "--format", "json");
        JsonNode root = new ObjectMapper().readTree(json.stdout());
        assertEquals("unknown: backend perf script text cannot see it", root.get("netnsUnknown").asText());
        assertTrue(root.get("drops").get(0).get("netns").isNull());
        CliRunner.Result text = CliRunner.run("report", CliRunner.project("samples/perf/nft-udp-drop.perf.txt").toString());
        assertTrue(text.stdout().contains("BY NETWORK NAMESPACE: unknown: backend perf script text cannot see it"),
                text.stdout());
    }
}
