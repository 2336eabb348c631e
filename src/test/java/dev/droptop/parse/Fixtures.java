package dev.droptop.parse;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.droptop.model.DropAggregator;
import dev.droptop.model.ReasonNames;
import dev.droptop.model.Snapshot;
import dev.droptop.model.SymbolResolver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Shared inputs and look-ups for the parser tests. */
final class Fixtures {
    static final long SECOND = 1_000_000_000L;

    /** A tiny kallsyms: the addresses seen in the format samples. */
    static final SymbolResolver RESOLVER = address -> Map.of(
            0xffffffff82094309L, new SymbolResolver.Resolved("tcp_v4_rcv", 0x99),
            0xffffffff8103ce3bL, new SymbolResolver.Resolved("nf_hook_slow", 0x96),
            0xffffffff81eb83a1L, new SymbolResolver.Resolved("__netif_receive_skb_core.constprop.0", 0x821),
            0xffffffff81e94fb0L, new SymbolResolver.Resolved("sk_skb_reason_drop", 0x90)).get(address);

    /** A made-up reason table, as a tracepoint format file would give. */
    static final ReasonNames REASONS = new ReasonNames(Map.of(2, "NOT_SPECIFIED", 3, "NO_SOCKET",
            12, "NETFILTER_DROP", 74, "UNHANDLED_PROTO"));

    private Fixtures() {
    }

    static InputStream text(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    static InputStream sample(String name) {
        InputStream in = Fixtures.class.getResourceAsStream("/format-samples/" + name);
        assertNotNull(in, name);
        return in;
    }

    static byte[] sampleBytes(String name) {
        try (InputStream in = sample(name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static DropAggregator parse(TraceParser parser, InputStream in) {
        DropAggregator agg = new DropAggregator(SECOND);
        try {
            parser.parse(in, agg);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        agg.finish();
        return agg;
    }

    /** The single row whose location symbol is {@code symbol}. */
    static Snapshot.Row row(Snapshot s, String symbol) {
        List<Snapshot.Row> rows = s.rows().stream().filter(r -> r.key().symbol().equals(symbol)).toList();
        if (rows.size() != 1) {
            throw new AssertionError("expected one row for " + symbol + " in " + s.rows());
        }
        return rows.get(0);
    }

    /** Frame names of the row's most frequent stack. */
    static List<String> topStack(Snapshot s, Snapshot.Row row) {
        return Arrays.asList(s.stacks().frameNames(row.stacks().get(0).stackId()));
    }
}
