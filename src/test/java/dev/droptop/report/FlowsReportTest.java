package dev.droptop.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.droptop.model.DropAggregator;
import dev.droptop.model.DropKey;
import dev.droptop.model.Flow;
import dev.droptop.model.StackTable;
import dev.droptop.model.Warnings;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Flows in the text, JSON, CSV and HTML reports, from a hand-made snapshot. */
class FlowsReportTest {
    private static final long SEC = 1_000_000_000L;
    private static final DropKey NAT = new DropKey("nf_hook_slow", 0x7d, "NETFILTER_DROP", 0x0800, 11, "n0");
    private static final DropKey PORT = new DropKey("__udp6_lib_rcv", 0x1a1, "NO_SOCKET", 0x86DD, 12, "lo");

    private static ReportData data(boolean flows) {
        DropAggregator agg = new DropAggregator(SEC);
        agg.record(NAT, StackTable.NO_STACK, 30, SEC);
        agg.record(PORT, StackTable.NO_STACK, 5, SEC);
        if (flows) {
            for (int i = 1; i <= 12; i++) {
                agg.flow(NAT, new Flow("198.18.128." + i, "198.18.0.1", 10000 + i, 8080, 6), 2, SEC);
            }
            agg.flow(NAT, Flow.OTHER, 6, SEC);
            agg.flow(PORT, new Flow("::1", "::1", 40000, 5353, 17), 4, SEC);
            agg.flow(PORT, new Flow("fe80::1", "ff02::2", 133, 0, 58), 1, SEC);
        }
        agg.intervalEnd(SEC);
        return new ReportData("t.jsonl", "droptop capture (bpftrace)", agg.snapshot(), new Warnings(), List.of(), List.of());
    }

    @Test
    void textListsTopFlowsAndTargetsPerDropPoint() {
        StringWriter sw = new StringWriter();
        new TextReport(10).write(data(true), new PrintWriter(sw));
        String t = sw.toString();
        assertTrue(t.contains("FLOWS AT nf_hook_slow+0x7d NETFILTER_DROP (30 drops with IP headers)\n"
                + "  to 198.18.0.1:8080 tcp: 24 drops from 12 sources in 12 flows\n"), t);
        assertTrue(t.contains("  198.18.128.1:10001"), t);
        assertTrue(t.matches("(?s).*  \\(other flows\\)\\s+10\\s+33\\.3%.*"), t); // 2 beyond the top 10 + 6 folded
        assertTrue(t.contains("  [::1]:40000"), t);
        assertTrue(t.matches("(?s).*\\[fe80::1\\]\\s+\\[ff02::2\\] type 133 code 0\\s+icmpv6\\s+1\\s+20\\.0%.*"), t);
    }

    @Test
    void jsonHasNullsForUnknownPortsAndOther() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new JsonReport(10).write(data(true), out);
        JsonNode j = new ObjectMapper().readTree(out.toByteArray());
        JsonNode flows = j.get("flows");
        assertEquals(11 + 2, flows.size());
        JsonNode first = flows.get(0);
        assertEquals("nf_hook_slow", first.get("symbol").asText());
        assertEquals(125, first.get("offset").asInt());
        assertEquals("nf_hook_slow+0x7d", first.get("location").asText());
        assertEquals("tcp", first.get("proto").asText());
        assertEquals(8080, first.get("dport").asInt());
        JsonNode other = flows.get(10);
        assertTrue(other.get("other").asBoolean());
        assertTrue(other.get("src").isNull() && other.get("sport").isNull());
        assertEquals(10, other.get("count").asLong());
        JsonNode icmp = flows.get(12);
        assertTrue(icmp.get("sport").isNull() && icmp.get("dport").isNull());
        assertEquals(133, icmp.get("icmpType").asInt());
        JsonNode target = j.get("flowTargets").get(0);
        assertEquals(12, target.get("sources").asInt());
        assertEquals(24, target.get("count").asLong());
    }

    @Test
    void csvAddsASecondTableOnlyWithFlows() {
        StringWriter sw = new StringWriter();
        new CsvReport().write(data(true), new PrintWriter(sw));
        String c = sw.toString();
        assertTrue(c.contains("\n\nsymbol,offset,reason,src,dst,sport,dport,proto,count\n"), c);
        assertTrue(c.contains("\nnf_hook_slow,0x7d,NETFILTER_DROP,198.18.128.1,198.18.0.1,10001,8080,tcp,2\n"), c);
        assertTrue(c.contains("\nnf_hook_slow,0x7d,NETFILTER_DROP,*,*,,,,10\n"), c);
        StringWriter none = new StringWriter();
        new CsvReport().write(data(false), new PrintWriter(none));
        assertFalse(none.toString().contains("src,dst"), none.toString());
    }

    @Test
    void htmlHasAFlowsTableOnlyWithFlows() throws Exception {
        StringWriter sw = new StringWriter();
        new HtmlReport(10).write(data(true), sw);
        assertTrue(sw.toString().contains("<table id=\"flows\">"));
        assertTrue(sw.toString().contains("<td>198.18.128.1:10001</td><td>198.18.0.1:8080</td><td>tcp</td>"), "flow row");
        StringWriter none = new StringWriter();
        new HtmlReport(10).write(data(false), none);
        assertFalse(none.toString().contains("<table id=\"flows\">"));
    }
}
