package dev.droptop.lab;

import dev.droptop.system.Netns;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicLong;

/**
 * TCP TPUT on established sessions: a ramp-up connects all S sessions (explicit inside address and
 * port each) and keeps them open; a trial then writes {@link #MESSAGE}-byte messages on session
 * {@code i mod S} at rate/2 a second and the server echoes each, so a message is one data packet each
 * way (ACKs are not counted). Both ends hold S sockets, so the process' open-file limit is raised to
 * 2·S + 4096 first (prlimit, root). Closing closes every socket and stops the server's thread.
 */
final class TcpTput implements AutoCloseable {
    static final int MESSAGE = 64;
    private final ServerSocketChannel listen;
    private final Selector serverSel;
    private final Thread serverThread;
    private final AtomicLong serverMessages = new AtomicLong();
    private final SocketChannel[] conns;
    private int open;
    private final Selector clientSel;
    private long clientBytes;
    private volatile boolean closing;

    private TcpTput(ServerSocketChannel listen, int sessions) throws IOException {
        this.listen = listen;
        this.serverSel = Selector.open();
        this.clientSel = Selector.open();
        this.conns = new SocketChannel[sessions];
        listen.configureBlocking(false);
        listen.register(serverSel, SelectionKey.OP_ACCEPT);
        this.serverThread = new Thread(this::serve, "droptop-lab-tcp-tput-server");
        serverThread.setDaemon(true);
        serverThread.start();
    }

    /** Opens the server in the server namespace; the ramp-up is {@link #rampUp}. */
    static TcpTput start(Topology topo, long sessions) throws IOException {
        raiseFileLimit(2 * sessions + 4096);
        InetSocketAddress at = new InetSocketAddress(topo.serverAddress(), Topology.PORT);
        ServerSocketChannel ch = Netns.call(topo.server(), () -> {
            ServerSocketChannel c = ServerSocketChannel.open();
            c.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            return c.bind(at, 4096);
        });
        try {
            return new TcpTput(ch, (int) sessions);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    static void raiseFileLimit(long n) throws IOException {
        String pid = Long.toString(ProcessHandle.current().pid());
        String now = Shell.run("prlimit", "--pid", pid, "--nofile", "--noheadings", "--raw", "--output", "HARD").strip();
        try {
            if (!now.equals("unlimited") && Long.parseLong(now) >= n) {
                return;
            }
        } catch (NumberFormatException e) {
            // raise it anyway
        }
        try {
            Shell.run("prlimit", "--pid", pid, "--nofile=" + n + ":" + n);
        } catch (IOException e) {
            throw new IOException("tcp-tput holds both ends of every session open: it needs " + n
                    + " open files, the limit here is " + now + " and cannot be raised (" + e.getMessage()
                    + "); use a smaller scale (at most " + (Long.parseLong(now.replaceAll("\\D", "0")) - 4096) / 2
                    + " sessions) or udp-tput");
        }
    }

    private void serve() {
        ByteBuffer buf = ByteBuffer.allocateDirect(64 * 1024);
        try {
            while (!closing) {
                serverSel.select(50);
                Iterator<SelectionKey> it = serverSel.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey k = it.next();
                    it.remove();
                    try {
                        if (k.isAcceptable()) {
                            SocketChannel c;
                            while ((c = listen.accept()) != null) {
                                c.configureBlocking(false);
                                c.register(serverSel, SelectionKey.OP_READ, new long[1]);
                            }
                        } else if (k.isReadable()) {
                            echo((SocketChannel) k.channel(), (long[]) k.attachment(), buf, k);
                        }
                    } catch (IOException e) {
                        k.cancel();
                        k.channel().close();
                    }
                }
            }
        } catch (IOException | ClosedSelectorException e) {
            // closed: done
        }
    }

    private void echo(SocketChannel c, long[] bytes, ByteBuffer buf, SelectionKey k) throws IOException {
        buf.clear();
        int n = c.read(buf);
        if (n < 0) {
            k.cancel();
            c.close();
            return;
        }
        long before = bytes[0] / MESSAGE;
        bytes[0] += n;
        serverMessages.addAndGet(bytes[0] / MESSAGE - before);
        buf.flip();
        c.write(buf); // a full send buffer drops the rest of the echo: counted as lost replies
    }

    /** Messages the server received so far. */
    long serverMessages() {
        return serverMessages.get();
    }

    /**
     * Connects the sessions not yet open (at most {@code inFlight} connecting at once, for at most
     * {@code nanos}); returns how many are open.
     */
    int rampUp(Topology topo, LoadSpec spec, Stop stop, long nanos) throws IOException {
        return Netns.call(topo.client(), () -> {
            long deadline = System.nanoTime() + nanos;
            try (Selector sel = Selector.open()) {
                int next = open;
                int connecting = 0;
                while (!stop.requested() && System.nanoTime() < deadline && (next < conns.length || connecting > 0)) {
                    while (next < conns.length && connecting < spec.maxInFlight()) {
                        SocketChannel ch = SocketChannel.open();
                        ch.configureBlocking(false);
                        ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                        ch.bind(spec.source(next));
                        conns[next] = ch;
                        if (ch.connect(spec.target())) {
                            open++;
                        } else {
                            ch.register(sel, SelectionKey.OP_CONNECT, next);
                            connecting++;
                        }
                        next++;
                    }
                    sel.select(5);
                    Iterator<SelectionKey> it = sel.selectedKeys().iterator();
                    while (it.hasNext()) {
                        SelectionKey k = it.next();
                        it.remove();
                        connecting--;
                        k.cancel();
                        try {
                            if (((SocketChannel) k.channel()).finishConnect()) {
                                open++;
                            }
                        } catch (IOException e) {
                            k.channel().close();
                        }
                    }
                }
                sel.selectNow();
            }
            for (int i = 0; i < conns.length; i++) {
                SocketChannel c = conns[i];
                if (c != null && c.isOpen() && c.isConnected() && c.keyFor(clientSel) == null) {
                    c.register(clientSel, SelectionKey.OP_READ);
                }
            }
            return countOpen();
        });
    }

    private int countOpen() {
        int n = 0;
        for (SocketChannel c : conns) {
            if (c != null && c.isOpen() && c.isConnected()) {
                n++;
            }
        }
        open = n;
        return n;
    }

    /** A trial's counts: messages meant, written, and received by the client (the server's by {@link #serverMessages}). */
    record Counts(long intended, long written, long replies, double seconds) {
    }

    /** Writes messages at {@code rate}/2 a second for {@code nanos} round-robin on the open sessions. */
    Counts trial(double rate, long nanos, long timeoutNanos, Stop stop) throws IOException {
        ByteBuffer msg = ByteBuffer.allocateDirect(MESSAGE);
        ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);
        long intended = Math.max(1, (long) Math.ceil(rate / 2 * nanos / 1e9));
        double perNano = rate / 2 / 1e9;
        long t0 = System.nanoTime();
        long startBytes = clientBytes;
        long written = 0;
        long i = 0;
        long end = t0 + nanos;
        long last = end + timeoutNanos;
        while (!stop.requested()) {
            long now = System.nanoTime();
            if (now >= last || now >= end && (clientBytes - startBytes) / MESSAGE >= written) {
                break;
            }
            long due = now < end ? Math.min(intended, (long) ((now - t0) * perNano) + 1) : intended;
            while (i < due && open > 0) {
                SocketChannel c = conns[(int) (i % conns.length)];
                i++;
                if (c == null || !c.isOpen()) {
                    continue;
                }
                msg.clear();
                if (c.write(msg) == MESSAGE) {
                    written++;
                }
            }
            clientSel.select(1);
            Iterator<SelectionKey> it = clientSel.selectedKeys().iterator();
            while (it.hasNext()) {
                SelectionKey k = it.next();
                it.remove();
                in.clear();
                int n = ((SocketChannel) k.channel()).read(in);
                if (n < 0) {
                    k.cancel();
                    k.channel().close();
                } else {
                    clientBytes += n;
                }
            }
        }
        return new Counts(intended, written, (clientBytes - startBytes) / MESSAGE, (System.nanoTime() - t0) / 1e9);
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (SocketChannel c : conns) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        clientSel.close();
        closing = true;
        serverSel.wakeup();
        try {
            serverThread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (SelectionKey k : serverSel.keys()) {
            k.channel().close();
        }
        serverSel.close();
        listen.close();
        if (first != null) {
            throw first;
        }
    }
}
