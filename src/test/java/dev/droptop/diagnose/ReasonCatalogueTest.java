package dev.droptop.diagnose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.droptop.model.ReasonNames;
import dev.droptop.system.TracepointFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reason catalogue against the kernel's own list: every reason in the tracepoint format has an entry. */
class ReasonCatalogueTest {
    private static final ReasonCatalogue CAT = ReasonCatalogue.builtIn();

    private static List<String> missing(ReasonNames kernel) {
        List<String> out = new ArrayList<>();
        for (String name : kernel.table().values()) {
            if (CAT.entry(name).isEmpty()) {
                out.add(name);
            }
        }
        return out;
    }

    @Test
    void coversEveryReasonOfTheRecordedSample() throws IOException {
        ReasonNames sample = TracepointFormat.read(Path.of("samples/tracefs/kfree_skb.format.txt")).reasons();
        assertTrue(sample.table().size() > 120, "sample has " + sample.table().size() + " reasons");
        assertEquals(List.of(), missing(sample));
    }

    @Test
    void coversEveryReasonOfTheRunningKernel() throws IOException {
        assumeTrue(Files.isReadable(TracepointFormat.DEFAULT), "no readable " + TracepointFormat.DEFAULT
                + " (needs root and tracefs): running kernel not compared");
        ReasonNames running = TracepointFormat.read(TracepointFormat.DEFAULT).reasons();
        assumeTrue(!running.isEmpty(), "this kernel's kfree_skb has no reason table");
        assertEquals(List.of(), missing(running));
    }

    @Test
    void everyEntryIsComplete() {
        for (String n : CAT.names()) {
            ReasonCatalogue.Entry e = CAT.entry(n).orElseThrow();
            for (String field : List.of(e.means(), e.causes(), e.check())) {
                assertFalse(field.isBlank(), n);
                assertTrue(field.length() < 240, n + " field too long for one line: " + field.length());
            }
        }
        assertTrue(CAT.names().size() >= 128, "entries: " + CAT.names().size());
    }

    @Test
    void lookupIgnoresCaseAndPrefix() {
        assertEquals("SOCKET_FILTER", CAT.entry("skb_drop_reason_socket_filter").orElseThrow().name());
        assertEquals("NEIGH_FAILED", CAT.entry(" Neigh_Failed ").orElseThrow().name());
        assertTrue(CAT.entry("NO_SUCH_REASON").isEmpty());
        assertEquals(List.of("NEIGH_FAILED"), CAT.nearMisses("NEIGH_FAIL").subList(0, 1));
        assertEquals(List.of(), CAT.nearMisses("FOO"));
    }

    @Test
    void unknownReasonsFallBackToOneLineNamingTheKernel() {
        assertEquals("reason 999 unknown to this catalogue (kernel 6.18.44-test)", CAT.oneLine("999", "6.18.44-test"));
        assertEquals("reason FUTURE_REASON unknown to this catalogue (kernel not recorded)",
                CAT.oneLine("FUTURE_REASON", null));
        assertTrue(CAT.oneLine("NO_SOCKET", null).startsWith("NO_SOCKET: no socket matched"));
    }

    @Test
    void subsystemReasonsAreDecodedFromTheHighBits() {
        String ovs = CAT.oneLine(String.valueOf((3 << 16) | 5), "k");
        assertTrue(ovs.startsWith("reason 0x30005: OPENVSWITCH subsystem reason 5"), ovs);
        assertTrue(CAT.oneLine("0x10002", "k").contains("MAC80211_UNUSABLE subsystem reason 2"));
        assertTrue(CAT.oneLine(String.valueOf(9 << 16), "k").contains("subsystem 9, reason 0, a subsystem unknown"));
    }

    @Test
    void benignOnlyForFreesThatAreNotLostTraffic() {
        for (String n : List.of("QUEUE_PURGE", "SOCKET_CLOSE", "TCP_CLOSE", "UNIX_DISCONNECT")) {
            assertTrue(CAT.isBenign(n), n);
        }
        for (String n : List.of("NOT_SPECIFIED", "NEIGH_FAILED", "SOCKET_FILTER", "UDP_CSUM", "IP_INHDR",
                "IP_INADDRERRORS", "NO_SOCKET", "NETFILTER_DROP")) {
            assertFalse(CAT.isBenign(n), n);
        }
    }

    /** Comments and blank lines, at any indent, neither end a block nor count as fields. */
    @Test
    void commentsInsideABlockAreSkipped() {
        ReasonCatalogue c = ReasonCatalogue.parse(List.of("# head", "FOO", "  means: m", "# a note", "", "  causes: c",
                "    # indented note", "  check: k", "BAR", "  means: m2", "  causes: c2", "  check: k2"));
        assertEquals("FOO: m; check: k", c.oneLine("FOO", null));
        assertEquals("c", c.entry("foo").orElseThrow().causes());
        assertEquals(List.of("FOO", "BAR"), c.names());
    }

    @Test
    void malformedCatalogueLinesAreRefusedWithTheirNumber() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ReasonCatalogue.parse(List.of("FOO", "  means: x", "  nonsense")));
        assertTrue(e.getMessage().contains("line 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ReasonCatalogue.parse(List.of("FOO", "  means: x")));
    }
}
