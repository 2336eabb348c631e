package dev.droptop.lab;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * UDP TPUT as in CSIT's UDP TPUT profile, on sessions a ramp-up already set up: transaction i uses
 * session {@code i mod S}, sends {@link #PACKETS} datagrams, and the server answers each with one. The
 * rate is in packets per second, both directions counted ({@link #PER_TRANSACTION} a transaction);
 * the replies received are counted here, the requests the server received by the server.
 */
final class UdpTputClient extends CpsClient {
    static final int PACKETS = 5;
    static final int PER_TRANSACTION = 2 * PACKETS;
    private final ByteBuffer buf = ByteBuffer.allocateDirect(2048);
    private long replies;
    private final Map<SelectableChannel, Integer> received = new IdentityHashMap<>();

    UdpTputClient(LoadSpec spec) {
        super(spec);
    }

    /** Transactions at {@code rate / 10} per second for the duration; not capped at S (sessions repeat). */
    @Override
    protected long intended() {
        return Math.max(1, (long) Math.ceil(spec.rate() / PER_TRANSACTION * spec.durationNanos() / 1e9));
    }

    /** Replies received (packets server to client). */
    long replies() {
        return replies;
    }

    @Override
    protected SelectableChannel open(long i, long start) throws IOException {
        DatagramChannel ch = DatagramChannel.open();
        try {
            ch.configureBlocking(false);
            InetSocketAddress src = spec.source(i % spec.sessions());
            ch.bind(src);
            ch.connect(spec.target());
            for (int k = 0; k < PACKETS; k++) {
                buf.clear().limit(UdpClient.SIZE);
                ch.write(buf);
            }
            return ch;
        } catch (IOException e) {
            count.errors++;
            ch.close();
            return null;
        }
    }

    @Override
    protected int interest() {
        return SelectionKey.OP_READ;
    }

    @Override
    protected boolean ready(SelectableChannel ch) throws IOException {
        DatagramChannel d = (DatagramChannel) ch;
        int got = 0;
        while (true) {
            buf.clear();
            if (d.read(buf) <= 0) {
                break;
            }
            got++;
        }
        replies += got;
        return got > 0 && received.merge(d, got, Integer::sum) >= PACKETS;
    }

    @Override
    protected void closed(SelectableChannel ch) {
        received.remove(ch);
    }
}
