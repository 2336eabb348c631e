package dev.droptop.source;

import dev.droptop.model.DropKey;
import dev.droptop.model.DropSink;
import dev.droptop.model.StackTable;
import dev.droptop.model.SymbolTable;
import dev.droptop.model.Warnings;
import dev.droptop.parse.TraceParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Reads a big {@code perf script} text on all cores. The file is cut into chunks at event
 * boundaries (the blank line after each call chain), each chunk is parsed by its own parser into
 * its own symbol and stack tables while the others run (after the first, which holds the trace's
 * header, so a shared symbol search knows the trace's kernel first), and the chunks' drops are then handed to
 * the sink in file order, their stacks re-interned into the sink's tables: the sink sees the same
 * calls, in the same order, as from one parser over the whole file (the drops, not the bytes, are
 * replayed: a few hundred thousand calls for hundreds of megabytes). Files without blank lines
 * (no call chains) or below {@link #MIN_BYTES} are read by one parser as before.
 */
final class ParallelText {
    /** Below this a second thread does not pay for itself. */
    static final long MIN_BYTES = 32L << 20;
    private static final int CHUNKS_PER_THREAD = 4;
    private static final int MAX_CHUNK = 256 << 20;
    /**
     * Where the first chunk may end: the header ({@code perf script --header}, the kernel's map of
     * {@code --show-mmap-events}) comes first, a few kB; a bigger first chunk would be parsed by one
     * core, before the JIT has compiled the parser, while the other cores wait.
     */
    static final long HEAD_BYTES = 1L << 20;

    private ParallelText() {
    }

    /** What the chunks' parsers read, together. */
    record Result(long drops, Warnings warnings) {
    }

    /**
     * Whether {@code size} bytes are worth splitting on this machine ({@code -Ddroptop.sequential=true}
     * turns it off, for comparisons).
     */
    static boolean worthIt(long size) {
        return size >= MIN_BYTES && Runtime.getRuntime().availableProcessors() > 1 && !Boolean.getBoolean("droptop.sequential");
    }

    /**
     * Parses {@code file} with parsers from {@code parsers}, {@code threads} at a time, into
     * {@code sink}; null when the file has no event boundary to cut at (the caller reads it whole).
     */
    static Result read(Path file, Supplier<TraceParser> parsers, DropSink sink, int threads) throws IOException {
        try (FileChannel ch = FileChannel.open(file)) {
            long[] cuts = cuts(ch, Math.max(2, threads * CHUNKS_PER_THREAD), HEAD_BYTES);
            if (cuts.length <= 2) {
                return null;
            }
            ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "droptop-parse");
                t.setDaemon(true);
                return t;
            });
            try {
                List<Future<Chunk>> parts = new ArrayList<>();
                // the first chunk alone first: it holds the trace's header (kernel release, maps), which
                // the shared symbol search must know before any other chunk resolves an address
                Future<Chunk> head = pool.submit(() -> Chunk.parse(ch, cuts[0], cuts[1], parsers.get()));
                get(head);
                parts.add(head);
                for (int i = 1; i + 1 < cuts.length; i++) {
                    long from = cuts[i];
                    long to = cuts[i + 1];
                    parts.add(pool.submit(() -> Chunk.parse(ch, from, to, parsers.get())));
                }
                long drops = 0;
                Warnings warnings = new Warnings();
                for (Future<Chunk> f : parts) {
                    Chunk c = get(f);
                    c.replay(sink);
                    drops += c.drops;
                    warnings.addAll(c.warnings);
                }
                return new Result(drops, warnings);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static Chunk get(Future<Chunk> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading");
        } catch (ExecutionException e) {
            Throwable t = e.getCause();
            if (t instanceof IOException io) {
                throw io;
            }
            if (t instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(t);
        }
    }

    /**
     * Chunk boundaries: 0, then the first byte after a blank line at or after {@code head} (a first
     * chunk that holds the trace's header and little else: it is read alone), then after each nominal
     * cut, then the file's size. A chunk never exceeds {@link #MAX_CHUNK}; a nominal cut with no blank
     * line before the next one is skipped.
     */
    static long[] cuts(FileChannel ch, int chunks, long head) throws IOException {
        long size = ch.size();
        int n = (int) Math.max(chunks, (size + MAX_CHUNK - 1) / MAX_CHUNK * 2);
        long step = Math.max(1, size / n);
        List<Long> out = new ArrayList<>();
        out.add(0L);
        if (head > 0 && head < step) {
            long at = afterBlankLine(ch, head, step);
            if (at > 0 && at < size) {
                out.add(at);
            }
        }
        for (int i = 1; i < n; i++) {
            long at = afterBlankLine(ch, Math.max(i * step, out.get(out.size() - 1)), Math.min(size, (i + 1) * step));
            if (at > out.get(out.size() - 1) && at < size) {
                out.add(at);
            }
        }
        out.add(size);
        for (int i = 1; i < out.size(); i++) {
            if (out.get(i) - out.get(i - 1) > Integer.MAX_VALUE) {
                return new long[] {0, size}; // no blank line for 2 GB: not call-chain text
            }
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    /** The offset after the first {@code \n\n} starting in [from, limit), or -1. */
    private static long afterBlankLine(FileChannel ch, long from, long limit) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(64 << 10);
        byte prev = 0;
        for (long pos = from; pos < limit; ) {
            buf.clear();
            int n = ch.read(buf, pos);
            if (n <= 0) {
                return -1;
            }
            for (int i = 0; i < n; i++) {
                byte b = buf.get(i);
                if (b == '\n' && prev == '\n') {
                    return pos + i + 1;
                }
                prev = b;
            }
            pos += n;
        }
        return -1;
    }

    /** One chunk's drops, kept in call order with their own tables until they are replayed. */
    private static final class Chunk implements DropSink {
        private static final byte RECORD = 0;
        private static final byte LOST = 1;
        private static final byte INTERVAL_END = 2;
        private static final byte SOURCE_INTERVAL = 3;
        private final SymbolTable symbols = new SymbolTable();
        private final StackTable stacks = new StackTable(symbols);
        private byte[] ops = new byte[1024];
        private DropKey[] keys = new DropKey[1024];
        private int[] stackIds = new int[1024];
        private long[] counts = new long[1024];
        private long[] times = new long[1024];
        private int size;
        private long drops;
        private Warnings warnings;

        static Chunk parse(FileChannel ch, long from, long to, TraceParser parser) throws IOException {
            Chunk c = new Chunk();
            parser.parse(new Slice(ch, from, to), c);
            c.drops = parser.drops();
            c.warnings = parser.warnings();
            return c;
        }

        private void add(byte op, DropKey key, int stack, long count, long time) {
            if (size == ops.length) {
                int n = size * 2;
                ops = Arrays.copyOf(ops, n);
                keys = Arrays.copyOf(keys, n);
                stackIds = Arrays.copyOf(stackIds, n);
                counts = Arrays.copyOf(counts, n);
                times = Arrays.copyOf(times, n);
            }
            ops[size] = op;
            keys[size] = key;
            stackIds[size] = stack;
            counts[size] = count;
            times[size] = time;
            size++;
        }

        @Override
        public SymbolTable symbols() {
            return symbols;
        }

        @Override
        public StackTable stacks() {
            return stacks;
        }

        @Override
        public void record(DropKey key, int stackId, long count, long timeNanos) {
            add(RECORD, key, stackId, count, timeNanos);
        }

        @Override
        public void lost(long count, long timeNanos) {
            add(LOST, null, 0, count, timeNanos);
        }

        @Override
        public void intervalEnd(long timeNanos) {
            add(INTERVAL_END, null, 0, 0, timeNanos);
        }

        @Override
        public void sourceInterval(long nanos) {
            add(SOURCE_INTERVAL, null, 0, nanos, 0);
        }

        /** Hands every call to {@code sink} in order, with stacks re-interned into its tables. */
        void replay(DropSink sink) {
            int[] mapped = new int[stacks.size() + 1];
            Arrays.fill(mapped, -1);
            mapped[StackTable.NO_STACK] = StackTable.NO_STACK;
            for (int i = 0; i < size; i++) {
                switch (ops[i]) {
                    case RECORD -> {
                        int id = stackIds[i];
                        if (id >= mapped.length) {
                            mapped = grow(mapped, id);
                        }
                        if (mapped[id] < 0) {
                            mapped[id] = sink.stacks().intern(stacks.frameNames(id));
                        }
                        sink.record(keys[i], mapped[id], counts[i], times[i]);
                    }
                    case LOST -> sink.lost(counts[i], times[i]);
                    case INTERVAL_END -> sink.intervalEnd(times[i]);
                    default -> sink.sourceInterval(counts[i]);
                }
                keys[i] = null;
            }
        }

        private static int[] grow(int[] mapped, int id) {
            int old = mapped.length;
            int[] out = Arrays.copyOf(mapped, id + 1);
            Arrays.fill(out, old, out.length, -1);
            return out;
        }
    }

    /** A byte range of a file as a stream, read with positional reads (no shared file position). */
    private static final class Slice extends InputStream {
        private final FileChannel ch;
        private long pos;
        private final long end;

        Slice(FileChannel ch, long from, long to) {
            this.ch = ch;
            this.pos = from;
            this.end = to;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (pos >= end) {
                return -1;
            }
            int want = (int) Math.min(len, end - pos);
            int n = ch.read(ByteBuffer.wrap(b, off, want), pos);
            if (n > 0) {
                pos += n;
            }
            return n;
        }
    }
}
