package dev.droptop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** "Did raising nf_conntrack_max fix it?": the NAT sample with a small table against the same load with a raised one. */
class DiffCommandTest {
    private static final String FULL = "samples/perf/nat-conntrack-full.perf.txt";
    private static final String RAISED = "samples/perf/nat-conntrack-raised.perf.txt";

    @Test
    void textShowsTheConntrackDropsVanished() throws Exception {
        CliRunner.Result r = CliRunner.run("diff", FULL, RAISED);
        assertEquals(0, r.code(), r.stderr());
        String out = r.stdout();
        assertTrue(out.matches("(?s).*\\nnf_hook_slow\\+0x7d +NETFILTER_DROP +1600 +0 +\\d+\\.\\d +0\\.0 +VANISHED\\n.*"),
                out);
        assertTrue(out.contains("Diagnosis before:\n  [critical] conntrack table full (likely)"), out);
        assertTrue(!out.substring(out.indexOf("Diagnosis after:")).contains("conntrack table full"), out);
    }

    @Test
    void jsonHasStatusRatesAndChange() throws Exception {
        CliRunner.Result r = CliRunner.run("diff", "--format", "json", FULL, RAISED);
        assertEquals(0, r.code(), r.stderr());
        JsonNode root = new ObjectMapper().readTree(r.stdout());
        assertEquals(2122, root.path("before").path("total").asLong());
        assertEquals(1370, root.path("after").path("total").asLong());
        assertEquals("conntrack-table-full", root.path("before").path("diagnosis").path(0).path("id").asText());
        JsonNode nf = find(root, "nf_hook_slow+0x7d", "NETFILTER_DROP");
        assertEquals("VANISHED", nf.path("status").asText());
        assertEquals(1600, nf.path("before").asLong());
        assertTrue(nf.path("changePercent").isNull());
        assertTrue(nf.path("beforeRate").asDouble() > 100, nf.toString());
        JsonNode tcp = find(root, "tcp_v4_rcv+0x91", "NOT_SPECIFIED");
        assertEquals("MORE", tcp.path("status").asText());
        assertTrue(tcp.path("changePercent").isNumber());
    }

    @Test
    void newPointsAndBadInput() throws Exception {
        CliRunner.Result r = CliRunner.run("diff", FULL, "samples/perf/closed-port-tcp.perf.txt");
        assertTrue(r.stdout().matches("(?s).*tcp_v4_rcv\\+0x91 +NO_SOCKET +0 +1000 .* NEW\\n.*"), r.stdout());
        assertEquals(2, CliRunner.run("diff", FULL, "no/such/file").code());
        assertEquals(2, CliRunner.run("diff", "--format", "xml", FULL, RAISED).code());
        assertEquals(2, CliRunner.run("diff", FULL).code());
    }

    private static JsonNode find(JsonNode root, String location, String reason) {
        for (JsonNode p : root.path("points")) {
            if (p.path("location").asText().equals(location) && p.path("reason").asText().equals(reason)) {
                return p;
            }
        }
        throw new AssertionError("no point " + location + " " + reason);
    }
}
