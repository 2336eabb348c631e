package dev.droptop.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.droptop.model.DropAggregator;
import dev.droptop.model.Snapshot;
import dev.droptop.testing.KernelTest;
import dev.droptop.testing.TestNetns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Real drops through a live backend: a test netns with an nft rule dropping UDP port 9999, a
 * {@link LiveSession} into a 1 s {@link DropAggregator}, then DropGen inside the netns: TCP connects
 * to closed port 1 ({@code tcp_v4_rcv}/NO_SOCKET, one SYN dropped per attempt) and UDP datagrams to
 * port 9999 over IPv6 ({@code nft_do_chain}/NETFILTER_DROP, protocol 0x86DD). IPv6 because the
 * machine is shared: other tests flood IPv4 {@code nft_do_chain}/NETFILTER_DROP at the same time
 * (seen: 37701 under the IPv4 key for 5000 sent), and the key has no netns to filter on.
 */
final class LiveScenario {
    static final String NFT = "table inet dtt {\n chain input {\n  type filter hook input priority 0;\n"
            + "  udp dport 9999 drop;\n }\n}\n";

    private LiveScenario() {
    }

    /** What a run saw, with the netns name (to check that it is gone). */
    record Result(Snapshot snapshot, long tcpSent, long udpSent, String netns, Backend.Running running) {
        long count(String symbol, String reason, int protocol) {
            return snapshot.rows().stream().filter(r -> r.key().symbol().equals(symbol)
                    && r.key().reason().equals(reason) && r.key().protocol() == protocol)
                    .mapToLong(Snapshot.Row::total).sum();
        }

        /** Frames of the most frequent stack under the key. */
        List<String> topStack(String symbol, String reason, int protocol) {
            Snapshot.Row row = snapshot.rows().stream().filter(r -> r.key().symbol().equals(symbol)
                    && r.key().reason().equals(reason) && r.key().protocol() == protocol).findFirst().orElseThrow();
            Snapshot.StackCount top = row.stacks().stream()
                    .max((a, b) -> Long.compare(a.count(), b.count())).orElseThrow();
            return Arrays.asList(snapshot.stacks().frameNames(top.stackId()));
        }
    }

    static Result run(Backend backend, boolean stacks, int tcp, int udp) throws Exception {
        DropAggregator agg = new DropAggregator(1_000_000_000L);
        try (TestNetns ns = TestNetns.create(backend.name().substring(0, 2))) {
            ns.nft(NFT);
            LiveSession session = new LiveSession(backend, new Backend.Options(stacks, 1_000_000_000L), agg);
            try {
                session.start();
                warmUp(ns, session);
                long tcpSent = dropGen(ns, "tcp", "127.0.0.1", 1, tcp);
                long udpSent = dropGen(ns, "udp", "::1", 9999, udp);
                long expected = tcpSent + udpSent;
                dev.droptop.testing.Await.holds(20_000,
                        () -> session.snapshot().rows().stream().mapToLong(Snapshot.Row::total).sum() >= expected);
            	session.close();
                assertEquals(null, session.running().failure(), "backend failed");
                return new Result(session.snapshot(), tcpSent, udpSent, ns.name(), session.running());
            } finally {
                session.close();
            }
        }
    }

    /** Sends UDP to closed port 7 until the backend shows it: perf needs a moment before it records. */
    private static void warmUp(TestNetns ns, LiveSession session) throws Exception {
        for (int i = 0; i < 20; i++) {
            dropGen(ns, "udp", "127.0.0.1", 7, 5);
            Thread.sleep(100);
            synchronized (session.lock()) {
                // the ticker publishes snapshots; read the latest
            }
            Thread.sleep(300);
            if (session.snapshot().rows().stream().anyMatch(r -> r.key().symbol().startsWith("__udp4_lib_rcv"))) {
                return;
            }
        }
        throw new AssertionError("the backend saw no drop within 8 s of starting");
    }

    static long dropGen(TestNetns ns, String mode, String host, int port, int count) throws IOException {
        String out = ns.exec("java", "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", testClasses(),
                "dev.droptop.testing.DropGen", mode, host, Integer.toString(port), Integer.toString(count), "20");
        String sent = out.trim().replaceAll("(?s).*sent=(\\d+).*", "$1");
        return Long.parseLong(sent);
    }

    static String testClasses() {
        return KernelTest.projectDir().resolve("target/test-classes").toString();
    }

    /** Nothing left: no droptop instance, no perf child of this JVM, the netns deleted. */
    static void assertNothingLeft(String netns) throws IOException {
        Path inst = Path.of("/sys/kernel/tracing/instances");
        try (Stream<Path> s = Files.list(inst)) {
            String mine = TracefsInstance.PREFIX + ProcessHandle.current().pid();
            assertFalse(s.anyMatch(p -> p.getFileName().toString().equals(mine)), "tracefs instance left: " + mine);
        }
        assertTrue(ProcessHandle.current().descendants().noneMatch(p -> p.info().command().orElse("")
                .endsWith("perf")), "a perf process of ours is still running");
        String list = TestNetns.run("ip", "netns", "list");
        assertFalse(list.contains(netns), "netns left: " + netns);
    }
}
