package dev.droptop.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.droptop.diagnose.Diagnoser;
import dev.droptop.diagnose.Finding;
import dev.droptop.lab.LabTable;
import dev.droptop.lab.LoadResult;
import dev.droptop.lab.Scenario;
import dev.droptop.lab.ScenarioResult;
import dev.droptop.model.DropAggregator;
import dev.droptop.model.DropKey;
import dev.droptop.model.Flow;
import dev.droptop.model.Snapshot;
import dev.droptop.model.SystemState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The lab's table with --flows: the dropped SYNs of the NAT case (12 inside hosts to the DNAT address,
 * 13 to 2 drops each) are listed per drop point, top 5 then the rest, in text and in the JSON's flows[]
 * with the report's field names; the conntrack-full finding counts their sources. Without flows the
 * table is as before, with an empty flows[].
 */
class LabTableFlowsTest {
    private static final long SECOND = 1_000_000_000L;
    private static final DropKey HOOK = new DropKey("nf_hook_slow", 0x7d, "NETFILTER_DROP", 0x0800, 4026532387L, "n0");

    @Test
    void droppedFlowsAreListedPerDropPointInTextAndJson() throws Exception {
        LabTable table = table(drops(true));
        String text = table.text();
        assertTrue(text.contains("  dropped flows:\n    FLOWS AT nf_hook_slow+0x7d NETFILTER_DROP (90 drops with IP headers)\n"
                + "      to 198.18.0.1:8080 tcp: 90 drops from 12 sources in 12 flows\n"), text);
        List<String> lines = text.lines().toList();
        int header = lines.indexOf(lines.stream().filter(l -> l.startsWith("      SOURCE ")).findFirst().orElseThrow());
        assertTrue(lines.get(header + 1).matches("      198\\.18\\.128\\.1:10001 +198\\.18\\.0\\.1:8080 +tcp +13 +14\\.4%"),
                lines.get(header + 1));
        assertTrue(lines.get(header + 5).matches("      198\\.18\\.128\\.5:10005 +198\\.18\\.0\\.1:8080 +tcp +9 +10\\.0%"),
                lines.get(header + 5));
        // 8 + 7 + ... + 2 = 35 drops in the 7 flows beyond the top 5
        assertTrue(lines.get(header + 6).matches("      \\(other flows\\) +35 +38\\.9%"), lines.get(header + 6));
        assertTrue(text.contains("in 12 flows from 12 sources to 198.18.0.1:8080 tcp"), "the finding's evidence: " + text);

        JsonNode flows = new ObjectMapper().readTree(table.json()).path("scenarios").get(0).path("flows");
        assertEquals(6, flows.size(), flows.toString());
        JsonNode first = flows.get(0);
        assertEquals("198.18.128.1", first.path("src").asText());
        assertEquals("198.18.0.1", first.path("dst").asText());
        assertEquals(10001, first.path("sport").asInt());
        assertEquals(8080, first.path("dport").asInt());
        assertEquals("tcp", first.path("proto").asText());
        assertEquals("nf_hook_slow", first.path("symbol").asText());
        assertEquals("NETFILTER_DROP", first.path("reason").asText());
        assertEquals(13, first.path("count").asLong());
        assertTrue(flows.get(5).path("other").asBoolean(), flows.get(5).toString());
        assertEquals(35, flows.get(5).path("count").asLong());
    }

    @Test
    void withoutFlowsTheTableHasNoFlowsSection() throws Exception {
        LabTable table = table(drops(false));
        assertFalse(table.text().contains("dropped flows"), table.text());
        assertFalse(table.text().contains("FLOWS AT"), table.text());
        JsonNode sc = new ObjectMapper().readTree(table.json()).path("scenarios").get(0);
        assertTrue(sc.path("flows").isArray() && sc.path("flows").isEmpty(), sc.toString());
    }

    private static Snapshot drops(boolean flows) {
        DropAggregator agg = new DropAggregator(SECOND);
        for (int i = 1; i <= 12; i++) {
            agg.record(HOOK, 0, 14 - i, SECOND);
            if (flows) {
                agg.flow(HOOK, new Flow("198.18.128." + i, "198.18.0.1", 10_000 + i, 8080, 6), 14 - i, SECOND);
            }
        }
        agg.record(DropKey.of("tcp_v4_rcv", 0x99, "NOT_SPECIFIED", 0x0800), 0, 10, SECOND);
        agg.intervalEnd(2 * SECOND);
        return agg.snapshot();
    }

    private static LabTable table(Snapshot drops) {
        List<Map<String, Long>> ct = List.of(
                Map.of(SystemState.CT_COUNT, 900L, SystemState.CT_MAX, 1000L, SystemState.CT_STAT + "drop", 0L),
                Map.of(SystemState.CT_COUNT, 1000L, SystemState.CT_MAX, 1000L, SystemState.CT_STAT + "drop", 90L));
        ScenarioResult r = new ScenarioResult(Scenario.parse("ethip4tcp-nat44ed-h64-p63-s4032-cps"),
                new LoadResult(1800, 1000, 0, 800, 5 * SECOND, 100_000_000L, 400_000_000L, true), drops, ct,
                "bpftrace", 1000);
        List<Finding> findings = Diagnoser.diagnose(r.drops(), r.system());
        return new LabTable(List.of(new LabTable.Entry(r, findings)), new ReportFlows());
    }
}
