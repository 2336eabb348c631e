package dev.droptop.lab;

import dev.droptop.system.Netns;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The lab's server: TCP accepts and closes each connection; UDP answers each datagram with one of the
 * same size. Its socket is made on a thread inside the server namespace; the serving thread (a
 * daemon) then uses it from droptop's own namespace. Closing the socket ends the thread.
 */
final class Server implements AutoCloseable {
    private static final int BACKLOG = 4096;
    private final java.nio.channels.Channel channel;
    private final AtomicLong served = new AtomicLong();

    private Server(java.nio.channels.Channel channel) {
        this.channel = channel;
    }

    static Server start(String netns, InetSocketAddress at, Scenario.Profile profile) throws IOException {
        Server s;
        if (profile == Scenario.Profile.TCP_CPS) {
            ServerSocketChannel ch = Netns.call(netns, () -> {
                ServerSocketChannel c = ServerSocketChannel.open();
                c.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                return c.bind(at, BACKLOG);
            });
            s = new Server(ch);
            return s.begin(() -> s.acceptLoop(ch));
        }
        DatagramChannel ch = Netns.call(netns, () -> {
            DatagramChannel c = DatagramChannel.open();
            c.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
            return c.bind(at);
        });
        s = new Server(ch);
        return s.begin(() -> s.echoLoop(ch));
    }

    private Server begin(Runnable loop) {
        Thread t = new Thread(loop, "droptop-lab-server");
        t.setDaemon(true);
        t.start();
        return this;
    }

    long served() {
        return served.get();
    }

    private void acceptLoop(ServerSocketChannel ch) {
        try {
            while (true) {
                SocketChannel c = ch.accept();
                served.incrementAndGet();
                c.close();
            }
        } catch (ClosedChannelException e) {
            // closed: done
        } catch (IOException e) {
            System.err.println("droptop: lab server stopped: " + e.getMessage());
        }
    }

    private void echoLoop(DatagramChannel ch) {
        ByteBuffer buf = ByteBuffer.allocateDirect(2048);
        try {
            while (true) {
                buf.clear();
                java.net.SocketAddress from = ch.receive(buf);
                buf.flip();
                ch.send(buf, from);
                served.incrementAndGet();
            }
        } catch (ClosedChannelException e) {
            // closed: done
        } catch (IOException e) {
            System.err.println("droptop: lab server stopped: " + e.getMessage());
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
