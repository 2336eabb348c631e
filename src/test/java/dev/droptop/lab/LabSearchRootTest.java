package dev.droptop.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.droptop.source.Backends;
import dev.droptop.system.Privileges;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * One short, small search in the lab (root only): with nf_conntrack_max 1000 under a 4032-session
 * TCP CPS test and 2 s trials, a trial offering more than about 1000 sessions loses most of them, so
 * PDR stays below 1000/s and the trial at the PDR limit names nf_hook_slow/NETFILTER_DROP (counted in
 * the lab's own namespaces) with conntrack at 1000/1000. Afterwards nothing of the lab is left.
 */
@Tag("root")
class LabSearchRootTest {
    private static final long SECONDS = 1_000_000_000L;

    @Test
    void conntrackBelowTheScaleLimitsPdrAndTheResultSaysSo() throws IOException {
        assumeTrue(Privileges.isRoot(), "not root: lab search skipped");
        assumeTrue(Files.exists(ConntrackMax.MAX), "nf_conntrack not loaded: lab search skipped");
        Backends.Choice c = Backends.auto();
        assumeTrue(c.backend() != null, "no capture backend works here: " + c.why());
        long before = ConntrackMax.read();
        Scenario s = Scenario.parse("ethip4tcp-nat44ed-h64-p63-s4032-cps");
        RateSearch.Config config = new RateSearch.Config(100, 4000, 0.1, 8);
        LabSearch.Outcome o;
        try (ConntrackMax max = ConntrackMax.set(1000);
                LabSearch lab = new LabSearch(new LabRun.Options(c.backend(), 10 * SECONDS, 2000, SECONDS), new Stop(),
                        false)) {
            o = lab.search(s, config, 2 * SECONDS);
        }
        String text = new SearchReport(List.of(new SearchReport.Row(o, null))).text();
        System.out.print(text);
        RateSearch.Result<SearchTrial> r = o.result();
        assertTrue(r.trials().size() <= 8);
        assertEquals(4000.0, r.trials().get(0).rate());
        assertTrue(r.trials().get(0).loss() > 0.5, "4000/s for 2 s into a 1000-entry table: " + r.trials().get(0));
        assertNotNull(r.pdr().rate(), text);
        assertTrue(r.pdr().rate() < 1000, "PDR " + r.pdr().rate() + " with 2 s trials and 1000 entries");
        SearchTrial limit = r.pdr().limit().detail();
        assertEquals("nf_hook_slow", limit.explaining().symbol(), limit.toString());
        assertEquals("NETFILTER_DROP", limit.explaining().reason());
        assertEquals(1000, limit.conntrackMax());
        assertEquals(1000, limit.conntrackPeak());
        assertTrue(SearchReport.limit(r.pdr(), config).startsWith("PDR limited by nf_hook_slow NETFILTER_DROP, "
                + "conntrack 1000/1000"), SearchReport.limit(r.pdr(), config));
        assertEquals(before, ConntrackMax.read(), "nf_conntrack_max restored");
        String mine = Topology.PREFIX + ProcessHandle.current().pid() + "-";
        assertTrue(Cleanup.namespaces().stream().noneMatch(n -> n.startsWith(mine)), Cleanup.namespaces().toString());
        assertFalse(Files.exists(ConntrackMax.STATE));
    }
}
