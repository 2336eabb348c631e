package dev.droptop.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScenarioTest {
    @Test
    void parsesCsitNames() {
        Scenario s = Scenario.parse("ethip4tcp-nat44ed-h1024-p63-s64512-cps");
        assertEquals(Scenario.Profile.TCP_CPS, s.profile());
        assertTrue(s.nat());
        assertEquals(1024, s.hosts());
        assertEquals(63, s.portsPerHost());
        assertEquals(64512, s.sessions());
        assertEquals("ethip4tcp-nat44ed-h1024-p63-s64512-cps", s.name());
        assertEquals("ethip4tcp-ip4base-h1024-p63-s64512-cps", s.base().name());
        Scenario u = Scenario.parse("ethip4udp-ip4base-h16-p4-s64-cps");
        assertEquals(Scenario.Profile.UDP_CPS, u.profile());
        assertFalse(u.nat());
    }

    @Test
    void refusesWrongProductAndBadNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Scenario.parse("ethip4tcp-nat44ed-h1024-p63-s64000-cps"));
        assertTrue(e.getMessage().contains("is not h1024 x p63 = 64512"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Scenario.parse("ethip6tcp-nat44ed-h1-p1-s1-cps"));
        assertThrows(IllegalArgumentException.class, () -> Scenario.parse("ethip4tcp-nat44ed-h0-p1-s0-cps"));
        assertThrows(IllegalArgumentException.class, () -> Scenario.parse(null));
        assertThrows(IllegalArgumentException.class, () -> new Scenario(Scenario.Profile.TCP_CPS, true, 16_385, 1));
        assertThrows(IllegalArgumentException.class, () -> Scenario.Profile.parse("http"));
    }

    @Test
    void sessionsUseDistinctAddressPortPairsInsideTheLabRange() {
        LoadSpec spec = new LoadSpec(new InetSocketAddress("198.18.0.1", 8080), 300, 7, LoadSpec.FIRST_PORT, 10, 1, 1);
        Set<InetSocketAddress> seen = new HashSet<>();
        for (long i = 0; i < spec.sessions(); i++) {
            InetSocketAddress a = spec.source(i);
            assertTrue(seen.add(a), a.toString());
            assertTrue(a.getAddress().getHostAddress().startsWith("198.18."), a.toString());
            assertTrue(a.getPort() >= LoadSpec.FIRST_PORT && a.getPort() < LoadSpec.FIRST_PORT + 7);
        }
        assertEquals("198.18.128.1", Topology.inside(0).getHostAddress());
        assertEquals("198.18.192.0", Topology.inside(Scenario.MAX_HOSTS - 1).getHostAddress());
    }

    @Test
    void percentilesAndRates() {
        assertEquals(0, LoadResult.Counter.percentile(new long[0], 0.99));
        long[] l = new long[100];
        for (int i = 0; i < 100; i++) {
            l[i] = i + 1;
        }
        assertEquals(50, LoadResult.Counter.percentile(l, 0.50));
        assertEquals(99, LoadResult.Counter.percentile(l, 0.99));
        LoadResult r = new LoadResult(200, 100, 50, 50, 2_000_000_000L, 1, 2, false);
        assertEquals(50.0, r.cps(), 1e-9);
        assertEquals(50.0, r.failurePercent(), 1e-9);
    }

    @Test
    void rulesetNatsOnlyTheLabPort() {
        String r = Topology.ruleset();
        assertTrue(r.contains("table ip droptop-lab-nat"));
        assertTrue(r.contains("dnat to 198.19.0.2:8080"));
        assertTrue(r.contains("oifname \"n1\" snat to 198.19.64.1\n"), r);
        assertTrue(Topology.ruleset(32).contains("snat to 198.19.64.1-198.19.64.32\n"));
    }
}
