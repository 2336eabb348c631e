/**
 * Diagnosis: small rules that read the drops of a {@link dev.droptop.model.Snapshot} and the
 * {@link dev.droptop.model.SystemState} and name a cause with its evidence and the remedy (the exact
 * sysctl or command, with a computed value where one can be computed). Pure: no I/O, no threads.
 * Layer 2: imports {@code dev.droptop.model} only.
 */
package dev.droptop.diagnose;
