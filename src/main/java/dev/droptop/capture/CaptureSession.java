package dev.droptop.capture;

import dev.droptop.model.DropSink;
import dev.droptop.model.StackTable;

import java.util.HashMap;
import java.util.Map;

/**
 * The sink side of one read: maps the file's stack ids to the sink's, feeds intervals to the sink
 * and keeps totals. File ids are untrusted, so they go through a map, never index an array.
 */
final class CaptureSession {
    private final DropSink sink;
    private final RecordDecoder decoder;
    private final Map<Integer, Integer> stackIds = new HashMap<>();
    private long intervals;
    private long total;
    private long lost;
    private long lastEnd = Long.MIN_VALUE;
    private long lastIndex = -1;
    private CaptureRecord.FlowsLine pendingFlows;

    CaptureSession(DropSink sink, RecordDecoder decoder) {
        this.sink = sink;
        this.decoder = decoder;
    }

    RecordDecoder decoder() {
        return decoder;
    }

    void define(CaptureRecord.Stack s) throws RecordDecoder.BadRecord {
        if (stackIds.containsKey(s.id())) {
            throw new RecordDecoder.BadRecord("stack " + s.id() + " defined twice");
        }
        stackIds.put(s.id(), sink.stacks().intern(s.frames().toArray(new String[0])));
    }

    /** Flows wait for their interval (the next line), which delivers them into the open window. */
    void flows(CaptureRecord.FlowsLine f) throws RecordDecoder.BadRecord {
        if (pendingFlows != null) {
            throw new RecordDecoder.BadRecord("flows record for interval " + f.index() + " follows the flows of interval "
                    + pendingFlows.index() + " without its interval");
        }
        if (f.index() <= lastIndex) {
            throw new RecordDecoder.BadRecord("flows record for interval " + f.index() + " comes after that interval");
        }
        pendingFlows = f;
    }

    /** Checks the whole line first, so a bad line feeds nothing. */
    void interval(CaptureRecord.IntervalLine iv) throws RecordDecoder.BadRecord {
        if (iv.end() < lastEnd) {
            throw new RecordDecoder.BadRecord("interval ends at " + iv.end() + ", before the previous one ("
                    + lastEnd + ")");
        }
        if (iv.index() <= lastIndex) {
            // the writer numbers windows 0, 1, 2, ...: a repeat is a duplicated (or concatenated) line
            throw new RecordDecoder.BadRecord("interval " + iv.index() + " repeats or goes back from interval "
                    + lastIndex);
        }
        if (pendingFlows != null && pendingFlows.index() != iv.index()) {
            throw new RecordDecoder.BadRecord("interval " + iv.index() + " follows the flows of interval "
                    + pendingFlows.index());
        }
        int[] mapped = new int[iv.drops().size()];
        long sum = 0;
        for (int i = 0; i < mapped.length; i++) {
            CaptureRecord.Drop d = iv.drops().get(i);
            mapped[i] = mapStack(d.stack());
            sum = add(sum, d.count());
        }
        total = add(total, sum);
        lost = add(lost, iv.lost());
        for (int i = 0; i < mapped.length; i++) {
            CaptureRecord.Drop d = iv.drops().get(i);
            sink.record(d.key(), mapped[i], d.count(), iv.end());
        }
        if (pendingFlows != null) {
            for (dev.droptop.model.FlowCount f : pendingFlows.flows()) {
                sink.flow(f.key(), f.flow(), f.count(), iv.end());
            }
            pendingFlows = null;
        }
        sink.lost(iv.lost(), iv.end());
        if (intervals == 0 && iv.end() > iv.start()) {
            sink.sourceInterval(iv.end() - iv.start());
        }
        if (iv.system() != null && !iv.system().isEmpty()) {
            sink.system(iv.system(), iv.end());
        }
        sink.intervalEnd(iv.end());
        lastEnd = iv.end();
        lastIndex = iv.index();
        intervals++;
    }

    private int mapStack(int fileId) throws RecordDecoder.BadRecord {
        if (fileId == StackTable.NO_STACK) {
            return StackTable.NO_STACK;
        }
        Integer id = stackIds.get(fileId);
        if (id == null) {
            throw new RecordDecoder.BadRecord("interval refers to undefined stack " + fileId);
        }
        return id;
    }

    private static long add(long a, long b) throws RecordDecoder.BadRecord {
        try {
            return Math.addExact(a, b);
        } catch (ArithmeticException e) {
            throw new RecordDecoder.BadRecord("drop counts overflow a 64-bit total");
        }
    }

    long intervals() {
        return intervals;
    }

    long total() {
        return total;
    }

    long lost() {
        return lost;
    }

    int stacks() {
        return stackIds.size();
    }
}
