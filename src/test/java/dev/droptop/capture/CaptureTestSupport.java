package dev.droptop.capture;

import dev.droptop.model.DropAggregator;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Shared fixtures of the capture tests. */
final class CaptureTestSupport {
    static final long SECOND = 1_000_000_000L;
    static final long T0 = 123_456_789L;

    private CaptureTestSupport() {
    }

    /** The header of {@code basic.fixture.jsonl}. */
    static CaptureHeader header() {
        return CaptureHeader.builder()
                .droptop("0.1.0").host("vm1").kernel("6.18.44").backend("perf")
                .command(List.of("perf", "record", "-e", "skb:kfree_skb", "-a", "-g", "-o", "-"))
                .source(CaptureHeader.LIVE).startTime(Instant.parse("2026-11-23T09:30:00Z"))
                .startNanos(T0).intervalNanos(SECOND)
                .reasons(Map.of(3, "NO_SOCKET", 2, "NOT_SPECIFIED"))
                .sysctl(Map.of("net.netfilter.nf_conntrack_max", "262144"))
                .build();
    }

    static byte[] resource(String name) {
        try (InputStream in = CaptureTestSupport.class.getResourceAsStream("/capture/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource capture/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads {@code bytes} into a fresh aggregator sized by the header. */
    static Replay replay(byte[] bytes, String name) throws IOException {
        DropAggregator[] agg = new DropAggregator[1];
        CaptureReader.Result r = CaptureReader.read(new ByteArrayInputStream(bytes), name,
                h -> agg[0] = new DropAggregator(h.intervalNanos()));
        return new Replay(r, agg[0]);
    }

    record Replay(CaptureReader.Result result, DropAggregator aggregator) {
    }
}
