package dev.droptop.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.droptop.testing.KernelTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * perf_event_open in this JVM against the real kernel; same scenario and tolerance as {@link
 * TracefsBackendTest} (closed-port TCP and nft-dropped UDP in a test netns), plus: no fd left open.
 */
@Tag("root")
class NativePerfBackendTest {
    @BeforeEach
    void assumeKernel() {
        KernelTest.assumeTracefs();
    }

    @Test
    void checkWorksHere() {
        Availability a = new NativePerfBackend().check();
        assertTrue(a.works(), a.reason());
    }

    @Test
    void dropsWithoutStacks() throws Exception {
        long fds = openFds();
        LiveScenario.Result r = LiveScenario.run(new NativePerfBackend(), false, 500, 5000);
        TracefsBackendTest.assertCounts(r);
        LiveScenario.assertNothingLeft(r.netns());
        assertEquals(fds, openFds(), "fds before and after");
    }

    @Test
    void dropsWithStacks() throws Exception {
        long fds = openFds();
        LiveScenario.Result r = LiveScenario.run(new NativePerfBackend(), true, 500, 5000);
        TracefsBackendTest.assertCounts(r);
        List<String> nft = r.topStack("nft_do_chain", "NETFILTER_DROP", 0x86DD);
        assertEquals("nft_do_chain", nft.get(0));
        assertTrue(nft.contains("ip6_input"), nft.toString());
        List<String> tcp = r.topStack("tcp_v4_rcv", "NO_SOCKET", 0x0800);
        assertEquals("tcp_v4_rcv", tcp.get(0));
        assertTrue(tcp.contains("ip_protocol_deliver_rcu"), tcp.toString());
        LiveScenario.assertNothingLeft(r.netns());
        assertEquals(fds, openFds(), "fds before and after");
    }

    /** perf event fds of this JVM plus its perf ring mappings ({@code [perf_event]} lines of /proc/self/maps). */
    private static long openFds() throws IOException {
        return eventFds() + Files.readAllLines(Path.of("/proc/self/maps")).stream()
                .filter(l -> l.contains("perf_event")).count();
    }

    /** perf event fds of this JVM ({@code anon_inode:[perf_event]} links in /proc/self/fd). */
    private static long eventFds() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.filter(p -> {
                try {
                    return Files.readSymbolicLink(p).toString().contains("perf_event");
                } catch (IOException e) {
                    return false;
                }
            }).count();
        }
    }
}
