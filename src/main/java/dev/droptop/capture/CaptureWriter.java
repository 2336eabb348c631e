package dev.droptop.capture;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.droptop.model.Interval;
import dev.droptop.model.IntervalListener;
import dev.droptop.model.StackTable;
import dev.droptop.model.Warnings;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Appends a capture as the aggregator closes windows: the header at construction, then per interval
 * the definitions of stacks not written yet, the interval line, and a flush, so that a killed
 * process leaves every complete interval on disk (no fsync: the page cache survives a kill -9).
 * {@link #close(String, String, Warnings)} writes the end record.
 *
 * <p>Register with {@code aggregator.addListener(writer)} and pass the aggregator's
 * {@link StackTable}. Methods are synchronized: intervals arrive on the aggregator's thread, close may
 * come from a shutdown path. A write error does not reach the aggregator: the writer stops writing,
 * keeps the error in {@link #failure()} and rethrows it from close.
 */
public final class CaptureWriter implements IntervalListener, Closeable {
    private List<Map<String, String>> findings = List.of();
    private static final JsonFactory FACTORY = new JsonFactoryBuilder().rootValueSeparator((String) null).build();

    private final JsonGenerator gen;
    private final StackTable stacks;
    private final BitSet written = new BitSet();
    private Supplier<Map<String, Long>> system;
    private dev.droptop.model.NetnsNames netnsNames;
    /** Inodes whose netns record is written. */
    private final java.util.Set<Long> namedNetns = new java.util.HashSet<>();
    private long total;
    private long lost;
    private long lastEnd;
    private IOException failure;
    private boolean closed;

    /** Writes the header to {@code out} and flushes it; {@code out} is closed by {@link #close}. */
    public CaptureWriter(OutputStream out, CaptureHeader header, StackTable stacks) throws IOException {
        this.gen = FACTORY.createGenerator(out);
        this.stacks = stacks;
        this.lastEnd = header.startNanos();
        RecordEncoder.header(gen, header);
        endLine();
        gen.flush();
    }

    /** Creates (or truncates) {@code path} and writes the header. */
    public static CaptureWriter open(Path path, CaptureHeader header, StackTable stacks) throws IOException {
        OutputStream out;
        try {
            out = Files.newOutputStream(path);
        } catch (IOException e) {
            throw new IOException("Could not create capture " + path + ": " + e.getMessage(), e);
        }
        try {
            return new CaptureWriter(out, header, stacks);
        } catch (IOException e) {
            out.close();
            throw new IOException("Could not write capture " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Per-interval system counters ({@code conntrack.count}, ...), asked once per interval on the
     * aggregator's thread; null or empty maps write no {@code system} field. The supplier must not throw.
     */
    public synchronized void setSystemCounters(Supplier<Map<String, Long>> counters) {
        this.system = counters;
    }

    /**
     * Where the names of the drops' network namespaces come from; each inode found there is written
     * once as a {@code netns} record before the first interval that uses it. Asked on the aggregator's thread.
     */
    public synchronized void setNetnsNames(dev.droptop.model.NetnsNames names) {
        this.netnsNames = names;
    }

    @Override
    public synchronized void onInterval(Interval interval) {
        if (closed || failure != null) {
            return;
        }
        try {
            for (Interval.Cell cell : interval.cells()) {
                int id = cell.stackId();
                if (id != StackTable.NO_STACK && !written.get(id)) {
                    RecordEncoder.stack(gen, id, stacks);
                    endLine();
                    written.set(id);
                }
                long ns = cell.key().netns();
                if (ns != 0 && netnsNames != null && !namedNetns.contains(ns)) {
                    dev.droptop.model.NetnsInfo info = netnsNames.find(ns);
                    if (info != null) {
                        RecordEncoder.netns(gen, info);
                        endLine();
                        namedNetns.add(ns);
                    }
                }
            }
            if (!interval.flows().isEmpty()) {
                RecordEncoder.flows(gen, interval.index(), interval.flows());
                endLine();
            }
            RecordEncoder.interval(gen, interval, system == null ? null : system.get());
            endLine();
            gen.flush();
            total += interval.total();
            lost += interval.lost();
            lastEnd = interval.endNanos();
        } catch (IOException e) {
            failure = e;
        }
    }

    /** The first write error, or null. Writing stopped at that error. */
    public synchronized IOException failure() {
        return failure;
    }

    /**
     * Writes the end record with {@code status} (see {@link CaptureEnd}), the totals written so far and
     * the source's {@code warnings} (may be null), then closes the stream. Later calls do nothing.
     */
    public synchronized void close(String status, String message, Warnings warnings) throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (failure == null) {
                Map<String, Long> counts = warnings == null ? Map.of() : warnings.counts();
                RecordEncoder.end(gen, new CaptureEnd(lastEnd, total, lost, status, message, counts), findings);
                endLine();
            }
            gen.close();
        } catch (IOException e) {
            if (failure == null) {
                failure = e;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** The diagnosis to store in the end record (id, summary, evidence, advice per finding). */
    public synchronized void setFindings(List<Map<String, String>> findings) {
        this.findings = List.copyOf(findings);
    }

    /** Closes with status {@link CaptureEnd#ABORTED} unless a status was given before. */
    @Override
    public void close() throws IOException {
        close(CaptureEnd.ABORTED, "capture closed without a final status", null);
    }

    private void endLine() throws IOException {
        gen.writeRaw('\n');
    }
}
