package dev.droptop.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.droptop.model.DropKey;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The one reading of {@code sym+offset} every text parser shares (perf script frames and locations,
 * tracefs, bpftrace, SystemTap): the symbol ends at the last {@code +} when a hex ({@code 0x..}) or
 * decimal offset follows, optionally with a {@code /size}; otherwise the whole text is the symbol. An
 * offset without digits or too large for an int cuts the symbol all the same and reads as no offset.
 */
class LocationReaderTest {
    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource(delimiter = '|', value = {
        "tcp_v4_rcv+0x99|tcp_v4_rcv|153",
        "tcp_v4_rcv+0x99/0x1400|tcp_v4_rcv|153",
        "sk_skb_reason_drop+144|sk_skb_reason_drop|144",
        "nft_do_chain+0x0|nft_do_chain|0",
        "__netif_receive_skb_core.constprop.0+0x821|__netif_receive_skb_core.constprop.0|2081",
        "std::operator+<char>(a, b)+0x1f|std::operator+<char>(a, b)|31",
        "tcp_v4_rcv|tcp_v4_rcv|-1",
        "tcp_v4_rcv+0x1f/junk|tcp_v4_rcv|31",
        "big+0x7fffffff|big|2147483647",
        // an offset's shape without a usable value: cut, no offset
        "tcp_v4_rcv+0x|tcp_v4_rcv|-1",
        "big+0x80000000|big|-1",
        "big+99999999999|big|-1",
        // not an offset: the whole text is the symbol
        "tcp_v4_rcv+|tcp_v4_rcv+|-1",
        "tcp_v4_rcv+0xzz|tcp_v4_rcv+0xzz|-1",
        "a+12ab|a+12ab|-1",
        "a+b|a+b|-1",
        "a+/0x10|a+/0x10|-1",
        "+0x10|+0x10|-1",
    })
    void symbolAndOffset(String text, String symbol, int offset) {
        byte[] b = ("[" + text + "]").getBytes(StandardCharsets.UTF_8);
        int from = 1;
        int to = b.length - 1;
        int end = LocationReader.symbolEnd(b, from, to);
        assertEquals(symbol, new String(b, from, end - from, StandardCharsets.UTF_8));
        int off = end < to ? LocationReader.parseOffset(b, end + 1, to) : DropKey.NO_OFFSET;
        assertEquals(offset, off);
    }
}
