package dev.droptop.capture;

import dev.droptop.model.DropKey;
import dev.droptop.model.NetnsInfo;

import java.util.List;
import java.util.Map;

/**
 * One line of a capture, as decoded by the reader: a {@link CaptureHeader}, a {@link Stack}
 * definition, an {@link IntervalLine}, a {@link CaptureEnd}, or an {@link Unknown} type that a newer
 * droptop wrote and this one skips. See {@link CaptureFormat} for the line shapes.
 */
public sealed interface CaptureRecord
        permits CaptureHeader, CaptureEnd, CaptureRecord.Stack, CaptureRecord.IntervalLine, CaptureRecord.Netns, CaptureRecord.FlowsLine,
        CaptureRecord.Unknown {

    /** {@code {"type":"stack","id":1,"frames":["nf_hook_slow","ip_rcv"]}}: frames innermost first. */
    record Stack(int id, List<String> frames) implements CaptureRecord {
    }

    /**
     * {@code {"type":"interval","index":0,"start":..,"end":..,"lost":0,"drops":[..],"system":{..}}}.
     * Stack ids in {@link Drop} are the file's ids, not a sink's.
     */
    record IntervalLine(long index, long start, long end, long lost, List<Drop> drops, Map<String, Long> system)
            implements CaptureRecord {
    }

    /** {@code {"type":"flows","index":0,"flows":[..]}}: the flows of the interval with the same index, which follows. */
    record FlowsLine(long index, List<dev.droptop.model.FlowCount> flows) implements CaptureRecord {
    }

    /** One entry of an interval's {@code drops}; {@code stack} 0 means none. */
    record Drop(DropKey key, int stack, long count) {
    }

    /** {@code {"type":"netns","inode":..,"name":..}}: names of a network namespace the drops refer to. */
    record Netns(NetnsInfo info) implements CaptureRecord {
    }

    /** A record whose {@code type} this droptop does not know. */
    record Unknown(String type) implements CaptureRecord {
    }
}
