package dev.droptop.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.droptop.testing.KernelTest;
import dev.droptop.testing.TestNetns;
import java.io.IOException;
import java.math.BigDecimal;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * End to end with a real Prometheus: droptop export (bpftrace) counts UDP datagrams to a closed port
 * inside a namespace the test names, Prometheus scrapes it every second, and its HTTP API answers
 * {@code increase(droptop_drops_total{...netns="<name>"}[10s])} with the number sent. A dashboard's
 * {@code [1m]} is the same function over a longer window; 10 s keeps the wait for a window without
 * extrapolation at its start (the series must be older than the window) at 11 s instead of 61 s.
 */
@Tag("root")
class PrometheusRootTest {
    static final int BURST = 3000;
    static final int PRIMER = 5;
    static final int WINDOW_SECONDS = 10;

    @Test
    void udpDropsInANamedNetnsAddUpInPrometheus() throws Exception {
        KernelTest.assumeTracefs();
        KernelTest.assumeTool("bpftrace", "bpftrace");
        KernelTest.assumeTool("prometheus", "prometheus");
        try (TestNetns ns = TestNetns.create("prom");
             Exporter exporter = Exporter.start("bpftrace")) {
            exporter.awaitReady(90);
            try (PrometheusServer prom = PrometheusServer.start(exporter.url.substring("http://".length()), null)) {
                prom.await("droptop_up = 1 in Prometheus", 60, () -> value(prom, "droptop_up{job=\"droptop\"}", null) == 1);
                String series = "droptop_drops_total{location=\"__udp4_lib_rcv\",reason=\"NO_SOCKET\",netns=\""
                        + ns.name() + "\"}";
                // the series must exist in Prometheus before the burst, or increase() cannot see its start
                send(ns, PRIMER);
                prom.await("the primer in Prometheus", 60, () -> value(prom, series, null) == PRIMER);
                double first = firstSampleTime(prom, series);
                // a window that starts after the series' first sample: no extrapolation at its start
                prom.await((WINDOW_SECONDS + 1) + " s of the series", 120,
                        () -> lastSampleTime(prom, series) > first + WINDOW_SECONDS + 1);
                send(ns, BURST);
                prom.await("the burst in Prometheus", 60, () -> value(prom, series, null) == PRIMER + BURST);
                // evaluate at a scrape's timestamp: the window [t-10s, t] then begins and ends on samples
                double t = lastSampleTime(prom, series);
                String at = BigDecimal.valueOf(t).toPlainString();
                String window = "[" + WINDOW_SECONDS + "s]";
                double increase = prom.value("increase(" + series + window + ")", at);
                assertEquals(BURST, increase, BURST * 0.01, "increase over " + window + " at " + at);
                System.out.println("increase(..." + window + ") = " + increase + " for " + BURST + " datagrams");
            }
            assertEquals(0, exporter.terminate(), exporter.output());
        }
    }

    /** {@code count} datagrams to a closed UDP port on the namespace's loopback (bounded: 60 s). */
    static void send(TestNetns ns, int count) throws IOException {
        String out = ns.exec(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), "dev.droptop.testing.DropGen", "udp", "127.0.0.1", "9",
                Integer.toString(count), "60");
        assertTrue(out.contains("sent=" + count + " "), out);
    }

    static double value(PrometheusServer prom, String q, String time) {
        try {
            return prom.value(q, time);
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    private static double firstSampleTime(PrometheusServer prom, String series) throws IOException {
        JsonNode values = prom.query(series + "[10m]", null).get(0).get("values");
        return values.get(0).get(0).asDouble();
    }

    private static double lastSampleTime(PrometheusServer prom, String series) {
        try {
            JsonNode values = prom.query(series + "[2m]", null).get(0).get("values");
            return values.get(values.size() - 1).get(0).asDouble();
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
