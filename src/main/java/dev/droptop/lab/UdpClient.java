package dev.droptop.lab;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;

/** UDP CPS: from an explicit (inside address, port), one request datagram, one reply from the server. */
final class UdpClient extends CpsClient {
    static final int SIZE = 64;
    private final ByteBuffer buf = ByteBuffer.allocateDirect(2048);

    UdpClient(LoadSpec spec) {
        super(spec);
    }

    @Override
    protected SelectableChannel open(long i, long start) throws IOException {
        DatagramChannel ch = DatagramChannel.open();
        try {
            ch.configureBlocking(false);
            ch.bind(spec.source(i));
            ch.connect(spec.target());
            buf.clear().limit(SIZE);
            ch.write(buf);
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
        buf.clear();
        return ((DatagramChannel) ch).read(buf) > 0;
    }
}
