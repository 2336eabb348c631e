package dev.droptop.lab;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * TCP CPS, as CSIT's profile: connect from an explicit (inside address, port), confirm that the
 * handshake completed, close. Non-blocking connects, up to {@code maxInFlight} at once, one thread.
 * Must run on a thread inside the client namespace: the sockets keep the namespace they were made in.
 */
final class TcpClient {
    private final LoadSpec spec;
    private final LoadResult.Counter count;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private int inFlight;

    /** One connect in flight. */
    private static final class Pending {
        final SocketChannel ch;
        final long start;
        boolean done;

        Pending(SocketChannel ch, long start) {
            this.ch = ch;
            this.start = start;
        }
    }

    TcpClient(LoadSpec spec) {
        this.spec = spec;
        this.count = new LoadResult.Counter(spec.sessions());
    }

    LoadResult run(Stop stop) throws IOException {
        long t0 = System.nanoTime();
        long startUntil = t0 + spec.durationNanos();
        long next = 0;
        try (Selector sel = Selector.open()) {
            while (!stop.requested()) {
                long now = System.nanoTime();
                boolean starting = next < spec.sessions() && now < startUntil;
                if (!starting && inFlight == 0) {
                    break;
                }
                while (starting && inFlight < spec.maxInFlight() && next < spec.sessions()) {
                    open(sel, next++);
                }
                sel.select(5);
                complete(sel);
                expire(System.nanoTime());
            }
            abandon();
        }
        return count.result(System.nanoTime() - t0, next < spec.sessions());
    }

    private void open(Selector sel, long i) throws IOException {
        count.attempted++;
        SocketChannel ch = SocketChannel.open();
        long start = System.nanoTime();
        try {
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            ch.bind(spec.source(i));
            if (ch.connect(spec.target())) {
                count.ok(System.nanoTime() - start);
                ch.close();
                return;
            }
        } catch (IOException e) {
            count.errors++;
            ch.close();
            return;
        }
        Pending p = new Pending(ch, start);
        ch.register(sel, SelectionKey.OP_CONNECT, p);
        pending.add(p);
        inFlight++;
    }

    private void complete(Selector sel) throws IOException {
        Iterator<SelectionKey> it = sel.selectedKeys().iterator();
        while (it.hasNext()) {
            SelectionKey k = it.next();
            it.remove();
            Pending p = (Pending) k.attachment();
            try {
                if (!p.ch.finishConnect()) {
                    continue;
                }
                count.ok(System.nanoTime() - p.start);
            } catch (IOException e) {
                count.errors++;
            }
            finish(p);
        }
    }

    private void expire(long now) throws IOException {
        while (!pending.isEmpty()) {
            Pending p = pending.peekFirst();
            if (p.done) {
                pending.pollFirst();
            } else if (now - p.start >= spec.timeoutNanos()) {
                count.timeouts++;
                finish(p);
                pending.pollFirst();
            } else {
                return;
            }
        }
    }

    private void abandon() throws IOException {
        for (Pending p : pending) {
            if (!p.done) {
                count.timeouts++;
                finish(p);
            }
        }
        pending.clear();
    }

    private void finish(Pending p) throws IOException {
        p.done = true;
        inFlight--;
        p.ch.close();
    }
}
