package dev.droptop.lab;

import java.io.IOException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * The loop both CPS generators share: start sessions from explicit (address, port) pairs up to
 * {@code maxInFlight} at once while the duration lasts, wait on one selector, time out the oldest,
 * and count. A subclass says how a session starts ({@link #open}) and when it has succeeded
 * ({@link #ready}). Non-blocking, one thread inside the client namespace.
 */
abstract class CpsClient {
    protected final LoadSpec spec;
    protected final LoadResult.Counter count;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private int inFlight;
    private volatile Live live = new Live(0, 0, 0, 0, 0);

    /** The load so far, published about ten times a second for a screen: counts and seconds since start. */
    public record Live(long intended, long attempted, long succeeded, long failed, double seconds) {
    }

    /** One session in flight. */
    static final class Pending {
        final SelectableChannel ch;
        final long start;
        boolean done;

        Pending(SelectableChannel ch, long start) {
            this.ch = ch;
            this.start = start;
        }
    }

    CpsClient(LoadSpec spec) {
        this.spec = spec;
        this.count = new LoadResult.Counter(spec.sessions());
    }

    LoadResult run(Stop stop) throws IOException {
        long t0 = System.nanoTime();
        // a paced load that fell behind may still start what was due, for a tenth of the duration more
        // (CSIT's duration stretching); what it has not started by then is unattempted
        long startUntil = t0 + spec.durationNanos() + (spec.rate() > 0 ? spec.durationNanos() / 10 : 0);
        long intended = intended();
        boolean paced = spec.rate() > 0;
        double perNano = spec.rate() / 1e9;
        long next = 0;
        long lastPublished = t0;
        try (Selector sel = Selector.open()) {
            while (!stop.requested()) {
                long now = System.nanoTime();
                boolean starting = next < intended && now < startUntil;
                if (!starting && inFlight == 0) {
                    break;
                }
                long due = paced ? Math.min(intended, (long) ((now - t0) * perNano) + 1) : intended;
                while (starting && inFlight < spec.maxInFlight() && next < due) {
                    start(sel, next++);
                }
                sel.select(paced ? 1 : 5);
                complete(sel);
                expire(System.nanoTime());
                if (now - lastPublished > 100_000_000L) {
                    lastPublished = now;
                    live = new Live(Math.min(intended, due), count.attempted, count.succeeded(),
                            count.errors + count.timeouts, (now - t0) / 1e9);
                }
            }
            abandon();
        }
        return count.result(System.nanoTime() - t0, next < intended, paced ? intended : next);
    }

    /** The load so far (thread-safe). */
    Live live() {
        return live;
    }

    /** Sessions (transactions) this load means to start. */
    protected long intended() {
        return spec.intended();
    }

    /**
     * Starts session {@code i}: returns its channel registered for the interest it waits on, or null
     * when it already ended (done at once, or failed: the subclass counted it).
     */
    protected abstract SelectableChannel open(long i, long start) throws IOException;

    /** The interest a pending session waits for (OP_CONNECT, OP_READ). */
    protected abstract int interest();

    /** True when the session is complete; false to keep waiting. Throws when it failed. */
    protected abstract boolean ready(SelectableChannel ch) throws IOException;

    private void start(Selector sel, long i) throws IOException {
        count.attempted++;
        long start = System.nanoTime();
        SelectableChannel ch = open(i, start);
        if (ch == null) {
            return;
        }
        Pending p = new Pending(ch, start);
        ch.register(sel, interest(), p);
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
                if (!ready(p.ch)) {
                    continue;
                }
                count.ok(System.nanoTime() - p.start);
            } catch (IOException e) {
                count.errors++; // refused, reset, or ICMP port unreachable on a connected UDP socket
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
        closed(p.ch);
        p.ch.close();
    }

    /** Called when a pending session ends (done, failed or timed out), before its channel closes. */
    protected void closed(SelectableChannel ch) {
    }
}
