package dev.droptop.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.droptop.model.ConntrackState;
import dev.droptop.model.ConntrackState.ConntrackEntries;
import dev.droptop.model.ConntrackState.KmsgCounts;
import dev.droptop.model.SystemState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Readers on /proc files copied from this machine (kernel 6.18) into src/test/resources/fs/. */
class ConntrackReadersTest {
    static final ProcFs HOST = ProcFs.at(Path.of("src/test/resources/fs/host"));
    static final ProcFs NAT_FULL = ProcFs.at(Path.of("src/test/resources/fs/natfull"));
    static final ProcFs EMPTY = ProcFs.at(Path.of("src/test/resources/fs/empty"));

    @Test
    void sysctls() throws IOException {
        ConntrackSysctls s = ConntrackSysctls.read(HOST);
        assertEquals(18, s.count());
        assertEquals(262144, s.max());
        assertEquals(262144, s.buckets());
        assertEquals(120L, s.tcpTimeouts().get("time_wait"));
        assertEquals(432000L, s.tcpTimeouts().get("established"));
        assertEquals(120L, s.tcpTimeouts().get("syn_sent"));
        assertEquals(500, ConntrackSysctls.read(NAT_FULL).count());
    }

    @Test
    void absentModuleIsUnavailableWithAReason() {
        ConntrackUnavailable e = assertThrows(ConntrackUnavailable.class, () -> ConntrackSysctls.read(EMPTY));
        assertTrue(e.getMessage().contains("conntrack is not loaded"), e.getMessage());
    }

    @Test
    void statSumsPerCpuRowsByColumnName() throws IOException {
        Map<String, Long> nat = ConntrackStats.read(NAT_FULL);
        assertEquals(0x190L + 0x578L, nat.get("drop"));   // 1800, as conntrack -S said
        assertEquals(500L, nat.get("entries"));            // global, not summed
        assertEquals(0L, nat.get("early_drop"));
        assertEquals(17, nat.size());
        assertEquals(18L, ConntrackStats.read(HOST).get("entries"));
    }

    @Test
    void statOfAnOlderKernelHasOtherColumns(@TempDir Path root) throws IOException {
        Path f = root.resolve("proc/net/stat/nf_conntrack");
        Files.createDirectories(f.getParent());
        Files.writeString(f, "entries  searched found new invalid ignore delete delete_list insert insert_failed drop "
                + "early_drop icmp_error  expect_new expect_create expect_delete search_restart\n"
                + "0000000a  00000001 00000002 00000003 00000000 00000000 00000000 00000000 00000000 00000001 "
                + "00000010 00000002 00000000  00000000 00000000 00000000 00000000\n"
                + "0000000a  00000001 00000002 00000003 00000000 00000000 00000000 00000000 00000000 00000001 "
                + "00000001 00000000 00000000  00000000 00000000 00000000 00000000\n");
        Map<String, Long> m = ConntrackStats.read(ProcFs.at(root));
        assertEquals(17L, m.get("drop"));
        assertEquals(2L, m.get("searched"));
        assertEquals(2L, m.get("early_drop"));
    }

    @Test
    void slabinfoEntrySizeAndFallback() {
        assertEquals(new SlabInfo.EntrySize(256, SlabInfo.SOURCE_SLABINFO), SlabInfo.conntrackEntry(HOST));
        assertEquals(new SlabInfo.EntrySize(376, SlabInfo.SOURCE_DEFAULT), SlabInfo.conntrackEntry(EMPTY));
    }

    @Test
    void tableByStateAndSource() throws IOException {
        ConntrackEntries e = ConntrackTable.read(HOST, 10);
        assertEquals(18, e.total());
        assertEquals(Map.of("ESTABLISHED", 6L, "TIME_WAIT", 11L, "udp", 1L), e.byState());
        assertEquals(List.of(new ConntrackState.SourceCount("198.18.0.2", 12),
                new ConntrackState.SourceCount("198.18.0.3", 5), new ConntrackState.SourceCount("198.18.0.1", 1)),
                e.topSources());
        assertEquals(3, e.distinctSources());
        assertEquals(1, ConntrackTable.read(HOST, 1).topSources().size());
    }

    @Test
    void kernelLogCountsTableFullLinesAndSuppressedCallbacks() throws IOException {
        try (KernelLog log = KernelLog.since(HOST, 0)) {
            KmsgCounts c = log.poll().counts("test");
            assertEquals(40, c.tableFull());
            assertEquals(1790 + 190 + 1690, c.suppressed());
        }
        try (KernelLog log = KernelLog.since(HOST, 900_000_000L)) {
            assertEquals(20, log.poll().counts("t").tableFull());
        }
        try (KernelLog log = KernelLog.since(HOST, 0).onlyNetns(4026532246L, false)) {
            assertEquals(40, log.poll().counts("t").tableFull());
        }
        try (KernelLog log = KernelLog.since(HOST, 0).onlyNetns(4026531840L, true)) {
            assertEquals(0, log.poll().counts("t").tableFull());
        }
        try (KernelLog log = KernelLog.fromNow(HOST)) {
            assertEquals(0, log.poll().counts("t").tableFull());
        }
    }

    @Test
    void probeAssemblesTheState() throws IOException {
        ConntrackState s = ConntrackProbe.look(NAT_FULL, KmsgCounts.NONE);
        assertEquals(1.0, s.fill());
        assertEquals(1800, s.stat("drop"));
        assertEquals(376, s.entryBytes());
        assertEquals(null, s.entries());
        assertEquals(500L, SystemState.of(s).peak(SystemState.CT_COUNT));
        assertEquals(500L * 376 + 262144L * 16, s.memoryBytes(500));
    }

    @Test
    void liveSysctlsReadWholeNumbers() throws Exception {
        Path max = Path.of("/proc/sys/net/netfilter/nf_conntrack_max");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(max), "no conntrack on this machine");
        Process p = new ProcessBuilder(List.of("cat", max.toString())).start();
        long expected = Long.parseLong(new String(p.getInputStream().readAllBytes()).trim());
        p.waitFor();
        assertEquals(expected, ConntrackSysctls.read(ProcFs.live()).max());
    }
}
