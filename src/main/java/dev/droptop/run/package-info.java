/**
 * Running sessions between the layers below and the command line: a live, capture or export run
 * (backend, capture file, load command, signals, the exporter's supervision), a profile, a replay,
 * doctor's checks, the lab's runs and screen, reading inputs for reports, and where reports go
 * ({@link dev.droptop.run.Outputs}). Takes plain settings records, never picocli types;
 * {@link dev.droptop.run.UserError} and {@link dev.droptop.run.Failure} carry what the user sees (exit
 * 2 and 1). The exporter's Prometheus client library lives here only.
 */
package dev.droptop.run;
