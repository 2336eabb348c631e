package dev.droptop.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.droptop.diagnose.Diagnoser;
import dev.droptop.diagnose.Finding;
import dev.droptop.model.Snapshot;
import dev.droptop.source.Backends;
import dev.droptop.system.Privileges;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The case study reproduced with the lab (root only): nf_conntrack_max 1000 under 4032 NAT sessions
 * fails most of them at nf_hook_slow/NETFILTER_DROP and the conntrack-full finding fires; with the
 * max well above the session count, conntrack drops nothing and nat44 CPS stays within 25% of
 * ip4base. Afterwards: nf_conntrack_max as before, no lab netns, no lab nft table, no state file.
 */
@Tag("root")
class LabRootTest {
    private static final long SECONDS = 1_000_000_000L;
    private long before;
    private LabRun run;

    @BeforeEach
    void setUp() throws IOException {
        assumeTrue(Privileges.isRoot(), "not root: lab scenarios skipped");
        assumeTrue(Files.exists(ConntrackMax.MAX), "nf_conntrack not loaded: lab scenarios skipped");
        Backends.Choice c = Backends.auto();
        assumeTrue(c.backend() != null, "no capture backend works here: " + c.why());
        before = ConntrackMax.read();
        run = new LabRun(new LabRun.Options(c.backend(), 8 * SECONDS, 500, SECONDS), new Stop());
    }

    @AfterEach
    void leavesNothingBehind() throws IOException {
        if (run == null) {
            return;
        }
        assertEquals(before, ConntrackMax.read(), "nf_conntrack_max restored");
        String mine = Topology.PREFIX + ProcessHandle.current().pid() + "-";
        assertTrue(Cleanup.namespaces().stream().noneMatch(n -> n.startsWith(mine)), Cleanup.namespaces().toString());
        assertEquals(List.of(), Cleanup.tables());
        assertFalse(Files.exists(ConntrackMax.STATE));
    }

    @Test
    void conntrackFullFailsSessionsAtNfHookSlow() throws IOException {
        Scenario s = Scenario.parse("ethip4tcp-nat44ed-h64-p63-s4032-cps");
        ScenarioResult r;
        try (ConntrackMax max = ConntrackMax.set(1000)) {
            r = run.run(s, "ct");
        }
        print(r);
        assertTrue(r.load().failurePercent() > 50, "failures " + r.load().failurePercent());
        Snapshot.Row top = r.drops().rows().get(0);
        assertEquals("nf_hook_slow", top.key().symbol(), top.toString());
        assertEquals("NETFILTER_DROP", top.key().reason());
        assertTrue(top.total() * 2 > r.drops().total(), top.total() + " of " + r.drops().total());
        assertEquals(1000, r.conntrackMax());
        assertEquals(1000, r.conntrackPeak());
        List<Finding> f = Diagnoser.diagnose(r.drops(), r.system());
        assertEquals("conntrack-table-full", f.get(0).id(), f.toString());
        assertEquals("conntrack table full", f.get(0).summary());
    }

    @Test
    void raisedMaxNoConntrackDropsAndCpsNearIp4base() throws IOException {
        Scenario nat = Scenario.parse("ethip4tcp-nat44ed-h256-p63-s16128-cps");
        double natCps = 0;
        double baseCps = 0;
        try (ConntrackMax max = ConntrackMax.set(262_144)) {
            for (int i = 0; i < 2 && natCps < 0.75 * baseCps || i == 0; i++) {
                ScenarioResult b = run.run(nat.base(), "b" + i);
                ScenarioResult n = run.run(nat, "n" + i);
                print(b);
                print(n);
                assertEquals(0, n.load().failed(), "nat44 failures");
                assertEquals(0, n.conntrackDrops(), "conntrack drop stat");
                assertEquals(0, hookDrops(n.drops()), "nf_hook_slow NETFILTER_DROP drops");
                assertEquals(16128, n.conntrackPeak());
                baseCps = Math.max(baseCps, b.load().cps());
                natCps = Math.max(natCps, n.load().cps());
            }
        }
        System.out.printf(Locale.ROOT, "lab: best nat44 %.0f CPS, best ip4base %.0f CPS: %.0f%%%n", natCps, baseCps,
                100 * natCps / baseCps);
        assertTrue(natCps >= 0.75 * baseCps, natCps + " vs " + baseCps);
    }

    private static long hookDrops(Snapshot s) {
        return s.rows().stream().filter(r -> "nf_hook_slow".equals(r.key().symbol())
                && "NETFILTER_DROP".equals(r.key().reason())).mapToLong(Snapshot.Row::total).sum();
    }

    private static void print(ScenarioResult r) {
        LoadResult l = r.load();
        System.out.printf(Locale.ROOT, "lab: %s ok %d/%d CPS %.0f fail %.1f%% p50 %.2f ms p99 %.2f ms conntrack %d/%d "
                + "ct drops %d, drops %d (top %s)%n", r.scenario().name(), l.succeeded(), l.attempted(), l.cps(),
                l.failurePercent(), l.p50Nanos() / 1e6, l.p99Nanos() / 1e6, r.conntrackPeak(), r.conntrackMax(),
                r.conntrackDrops(), r.drops().total(), r.drops().rows().isEmpty() ? "-" : r.drops().rows().get(0).key());
    }
}
