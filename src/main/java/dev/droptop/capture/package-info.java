/**
 * The capture file: droptop's own recording format (JSON Lines, see {@link dev.droptop.capture.CaptureFormat}).
 * {@link dev.droptop.capture.CaptureWriter} listens to the aggregator's closed windows and appends them,
 * flushed per interval, so a killed capture stays readable; {@link dev.droptop.capture.CaptureReader}
 * replays a capture into any {@link dev.droptop.model.DropSink}, exactly like a trace parser does, and
 * upgrades older format versions through the declarative table in {@link dev.droptop.capture.Compat}.
 * Own format, strict reading: corruption other than a torn last line is an {@code IOException} naming
 * the file and line.
 *
 * <p>Layer 1: imports {@code dev.droptop.model}, {@code java.*} and Jackson ({@code com.fasterxml.jackson.*}) only.
 */
package dev.droptop.capture;
