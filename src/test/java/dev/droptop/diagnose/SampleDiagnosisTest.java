package dev.droptop.diagnose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.droptop.model.DropAggregator;
import dev.droptop.model.Snapshot;
import dev.droptop.model.SystemState;
import dev.droptop.parse.PerfScriptParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The recorded samples of samples/perf (made available on main); skipped where they are absent. */
class SampleDiagnosisTest {
    static Snapshot parse(String relative) throws IOException {
        String dir = System.getProperty("droptop.project.dir");
        Path file = dir == null ? null : Path.of(dir, relative);
        assumeTrue(file != null && Files.isRegularFile(file), "sample " + relative + " is not in "
                + dir + " (samples land on main): skipped");
        DropAggregator agg = new DropAggregator(1_000_000_000L);
        try (InputStream in = Files.newInputStream(file)) {
            new PerfScriptParser().parse(in, agg);
        }
        agg.finish();
        return agg.snapshot();
    }

    @Test
    void natSampleNamesConntrackTableFullFirst() throws IOException {
        List<Finding> f = Diagnoser.diagnose(parse("samples/perf/nat-conntrack-full.perf.txt"), SystemState.none());
        Finding first = f.get(0);
        assertEquals("conntrack-table-full", first.id());
        assertEquals("conntrack table full (likely)", first.summary());
        assertTrue(first.evidence().contains("nf_hook_slow+0x7d"), first.evidence());
        assertTrue(first.evidence().contains("called from ip_rcv"), first.evidence());
        assertTrue(first.evidence().contains("no drops at nft_do_chain"), first.evidence());
        assertTrue(first.advice().contains("net.netfilter.nf_conntrack_max"), first.advice());
        assertEquals(1600, first.drops());
        assertTrue(f.stream().anyMatch(x -> x.id().equals("probably-benign")));
        assertFalse(f.stream().anyMatch(x -> x.id().equals("firewall-rule-drop")));
    }

    @Test
    void nftSampleIsAFirewallRuleNotConntrack() throws IOException {
        List<Finding> f = Diagnoser.diagnose(parse("samples/perf/nft-udp-drop.perf.txt"), SystemState.none());
        assertEquals("firewall-rule-drop", f.get(0).id());
        assertEquals(1000, f.get(0).drops());
        assertTrue(f.get(0).evidence().contains("nft_do_chain+0x3e8"), f.get(0).evidence());
        assertFalse(f.stream().anyMatch(x -> x.id().startsWith("conntrack")), f.toString());
    }

    @Test
    void closedPortSampleIsNothingListening() throws IOException {
        List<Finding> f = Diagnoser.diagnose(parse("samples/perf/closed-port-tcp.perf.txt"), SystemState.none());
        assertEquals("no-socket", f.get(0).id());
        assertTrue(f.get(0).evidence().contains("tcp_v4_rcv"), f.get(0).evidence());
        assertTrue(f.get(0).advice().contains("ss -lntup"));
    }
}
