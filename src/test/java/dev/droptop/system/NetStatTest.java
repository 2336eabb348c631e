package dev.droptop.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.droptop.model.SystemState;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * /proc/net/netstat copied from this machine (6.18): the host's, and a test netns's right after 20
 * SYNs hit a listen(2) socket that never accepts (tcp_syncookies=0).
 */
class NetStatTest {
    static final ProcFs LISTEN_FULL = ProcFs.at(Path.of("src/test/resources/fs/listenfull"));

    @Test
    void readsGroupsByName() throws IOException {
        Map<String, Long> host = NetStat.read(ConntrackReadersTest.HOST);
        assertEquals(0L, host.get("TcpExt.ListenOverflows"));
        assertTrue(host.containsKey("IpExt.InOctets"), host.keySet().toString());
        Map<String, Long> full = NetStat.read(LISTEN_FULL);
        assertEquals(34L, full.get("TcpExt.ListenOverflows"));
        assertEquals(34L, full.get("TcpExt.ListenDrops"));
    }

    @Test
    void skipsMismatchedAndNonNumericColumns() {
        Map<String, Long> m = NetStat.parse(List.of("TcpExt: A B", "TcpExt: 1 x", "Odd: C", "Other: 3"));
        assertEquals(Map.of("TcpExt.A", 1L), m);
    }

    @Test
    void absentFileThrows() {
        assertThrows(IOException.class, () -> NetStat.read(ConntrackReadersTest.EMPTY));
    }

    @Test
    void samplerCarriesTheListenCounters() {
        try (SystemSampler s = SystemSampler.start(LISTEN_FULL)) {
            Map<String, Long> m = s.get();
            assertEquals(34L, m.get(SystemState.TCP_LISTEN_OVERFLOWS));
            assertEquals(34L, m.get(SystemState.TCP_LISTEN_DROPS));
            assertFalse(m.containsKey(SystemState.CT_MAX), m.toString());
        }
    }
}
