/**
 * The drop model: keys, interned symbols and stacks, the aggregator, caller trees and the immutable
 * {@link dev.droptop.model.Snapshot} that views read. Layer 0: imports {@code java.*} only, does no I/O
 * and starts no threads.
 */
package dev.droptop.model;
