/**
 * Running sessions: live, capture, export and lab runs. May use everything below {@code cli}; the
 * exporter's Prometheus client library lives here only.
 */
package dev.droptop.run;
