/**
 * Writers that turn a {@link dev.droptop.model.Snapshot} (plus findings) into text, JSON, CSV and
 * folded stacks. Layer 3: imports {@code dev.droptop.model}, {@code dev.droptop.diagnose} and Jackson.
 * Every string that came from a trace goes through {@link dev.droptop.model.Sanitize} (text, CSV,
 * collapsed); JSON escapes control characters itself.
 */
package dev.droptop.report;
