package dev.droptop.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.droptop.model.ReasonNames;
import dev.droptop.model.SymbolResolver;
import dev.droptop.model.TracepointLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PerfRingDecoderTest {
    private static final long TYPE = PerfAttr.TIME | PerfAttr.CPU | PerfAttr.CALLCHAIN | PerfAttr.RAW;
    private static final Map<Long, SymbolResolver.Resolved> SYMBOLS = Map.of(
            0xffffffff81000010L, new SymbolResolver.Resolved("tcp_v4_rcv", 0x10),
            0xffffffff81000120L, new SymbolResolver.Resolved("ip_protocol_deliver_rcu", 0x20));

    /** A sample as the kernel writes it into the ring: header, time, cpu, call chain, raw (kernel6 layout). */
    private static void sample(ByteBuffer b, long time, int reason, int protocol) {
        b.putInt(9).putShort((short) 0).putShort((short) 104);
        b.putLong(time).putInt(1).putInt(0);
        b.putLong(3).putLong(-128L).putLong(0xffffffff81000010L).putLong(0xffffffff81000120L);
        int raw = b.position() + 4;
        b.putInt(44);
        b.position(raw + 16);
        b.putLong(0xffffffff81000010L); // location
        b.position(raw + 32);
        b.putShort((short) protocol);
        b.position(raw + 36);
        b.putInt(reason);
        b.position(raw + 44);
    }

    @Test
    void samplesAndLostRecordsAndATornTail() {
        ByteBuffer b = ByteBuffer.allocate(1024).order(ByteOrder.LITTLE_ENDIAN);
        sample(b, 1000, 2, 0x0800);
        b.putInt(2).putShort((short) 0).putShort((short) 24).putLong(0).putLong(5); // LOST 5
        sample(b, 2000, 2, 0x0800);
        int whole = b.position();
        b.putInt(9).putShort((short) 0).putShort((short) 104).putLong(3000); // torn: only 16 of 104 bytes
        Aggregates agg = new Aggregates();
        PerfRingDecoder d = new PerfRingDecoder(SYMBOLS::get,
                TracepointLayout.kernel6(new ReasonNames(Map.of(2, "NO_SOCKET"))), TYPE);
        int used = d.decode(b.array(), b.position(), agg);
        assertEquals(whole, used);
        assertEquals(2, d.drops());
        assertEquals(5, agg.lost);
        assertEquals(Map.of("tcp_v4_rcv+0x10 NO_SOCKET 2048", 2L), agg.keys);
        assertEquals(Map.of("tcp_v4_rcv+0x10 NO_SOCKET 2048;ip_protocol_deliver_rcu;tcp_v4_rcv", 2L), agg.folded);
    }
}
