/**
 * One streaming parser per trace text format, all feeding a {@link dev.droptop.model.DropSink}, plus
 * content-based format detection. Parsers work on bytes from a reused buffer; no regex on the hot
 * path. Foreign input is tolerated: odd lines are counted in {@link dev.droptop.model.Warnings}.
 * Layer 1: imports {@code dev.droptop.model} only.
 */
package dev.droptop.parse;
