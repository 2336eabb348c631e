package dev.droptop.lab;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * UDP CPS: from an explicit (inside address, port), one request datagram, one reply from the server.
 * Non-blocking, up to {@code maxInFlight} sessions waiting at once, one thread inside the client
 * namespace.
 */
final class UdpClient {
    static final int SIZE = 64;
    private final LoadSpec spec;
    private final LoadResult.Counter count;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private final ByteBuffer buf = ByteBuffer.allocateDirect(2048);
    private int inFlight;

    /** One request waiting for its reply. */
    private static final class Pending {
        final DatagramChannel ch;
        final long start;
        boolean done;

        Pending(DatagramChannel ch, long start) {
            this.ch = ch;
            this.start = start;
        }
    }

    UdpClient(LoadSpec spec) {
        this.spec = spec;
        this.count = new LoadResult.Counter(spec.sessions());
    }

    LoadResult run(Stop stop) throws IOException {
        long t0 = System.nanoTime();
        long startUntil = t0 + spec.durationNanos();
        long next = 0;
        try (Selector sel = Selector.open()) {
            while (!stop.requested()) {
                boolean starting = next < spec.sessions() && System.nanoTime() < startUntil;
                if (!starting && inFlight == 0) {
                    break;
                }
                while (starting && inFlight < spec.maxInFlight() && next < spec.sessions()) {
                    send(sel, next++);
                }
                sel.select(5);
                receive(sel);
                expire(System.nanoTime());
            }
            for (Pending p : pending) {
                if (!p.done) {
                    count.timeouts++;
                    finish(p);
                }
            }
        }
        return count.result(System.nanoTime() - t0, next < spec.sessions());
    }

    private void send(Selector sel, long i) throws IOException {
        count.attempted++;
        DatagramChannel ch = DatagramChannel.open();
        long start = System.nanoTime();
        try {
            ch.configureBlocking(false);
            ch.bind(spec.source(i));
            ch.connect(spec.target());
            buf.clear().limit(SIZE);
            ch.write(buf);
        } catch (IOException e) {
            count.errors++;
            ch.close();
            return;
        }
        Pending p = new Pending(ch, start);
        ch.register(sel, SelectionKey.OP_READ, p);
        pending.add(p);
        inFlight++;
    }

    private void receive(Selector sel) throws IOException {
        Iterator<SelectionKey> it = sel.selectedKeys().iterator();
        while (it.hasNext()) {
            SelectionKey k = it.next();
            it.remove();
            Pending p = (Pending) k.attachment();
            try {
                buf.clear();
                if (p.ch.read(buf) <= 0) {
                    continue;
                }
                count.ok(System.nanoTime() - p.start);
            } catch (IOException e) {
                count.errors++; // ICMP port unreachable reported on the connected socket
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

    private void finish(Pending p) throws IOException {
        p.done = true;
        inFlight--;
        p.ch.close();
    }
}
