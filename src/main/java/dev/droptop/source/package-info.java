/**
 * Where drops come from: trace files (content-detected, perf.data through {@code perf script}),
 * and the live backends (child processes, tracefs instances). Child processes are started from
 * argument lists only, never shell strings. Layer 2: imports parse, system, capture, model.
 */
package dev.droptop.source;
