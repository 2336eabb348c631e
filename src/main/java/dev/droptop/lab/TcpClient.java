package dev.droptop.lab;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * TCP CPS as in CSIT's TCP CPS profile: from an explicit (inside address, port), connect, confirm
 * (the handshake completes), close.
 */
final class TcpClient extends CpsClient {
    TcpClient(LoadSpec spec) {
        super(spec);
    }

    @Override
    protected SelectableChannel open(long i, long start) throws IOException {
        SocketChannel ch = SocketChannel.open();
        try {
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            ch.bind(spec.source(i));
            if (ch.connect(spec.target())) {
                count.ok(System.nanoTime() - start);
                ch.close();
                return null;
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
        return SelectionKey.OP_CONNECT;
    }

    @Override
    protected boolean ready(SelectableChannel ch) throws IOException {
        return ((SocketChannel) ch).finishConnect();
    }
}
