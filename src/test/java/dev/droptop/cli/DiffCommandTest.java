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

    /** 5.7 s against 0.1 s: 463 -> 12 is a rate going up, and the diff must say why it reads that way. */
    @Test
    void runsOfDifferentLengthsGetAWarningAndCountsBesideRates() throws Exception {
        CliRunner.Result r = CliRunner.run("diff", FULL, RAISED);
        String out = r.stdout();
        assertTrue(out.contains("WARNING: the runs differ in length (5.7 s and 0.1 s, "), out);
        assertTrue(out.contains("compare the rates (/s), not the counts"), out);
        assertTrue(out.matches("(?s).*\\nLOCATION +REASON +BEFORE +AFTER +BEFORE/s +AFTER/s +CHANGE/s\\n.*"), out);
        assertTrue(out.matches("(?s).*\\nsk_stream_kill_queues\\+0x57 +QUEUE_PURGE +463 +12 +80\\.8 +132\\.7 +\\+64\\.3%\\n.*"),
                out);
        JsonNode root = new ObjectMapper().readTree(CliRunner.run("diff", "--format", "json", FULL, RAISED).stdout());
        assertEquals("droptop-diff/1", root.path("schema").asText());
        assertTrue(root.path("warnings").path(0).asText().startsWith("the runs differ in length"), root.toString());
        JsonNode sk = find(root, "sk_stream_kill_queues+0x57", "QUEUE_PURGE");
        assertEquals("MORE", sk.path("status").asText(), "status follows the rates the change is of");
        CliRunner.Result same = CliRunner.run("diff", FULL, FULL);
        assertTrue(!same.stdout().contains("WARNING"), same.stdout());
        JsonNode sameJson = new ObjectMapper().readTree(CliRunner.run("diff", "--format", "json", FULL, FULL).stdout());
        assertEquals(0, sameJson.path("warnings").size());
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
