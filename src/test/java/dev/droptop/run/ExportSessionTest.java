package dev.droptop.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.droptop.model.DropKey;
import dev.droptop.model.NetnsInfo;
import dev.droptop.model.NetnsNames;
import dev.droptop.testing.KernelTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The exporter over a test-double backend: formats (checked by promtool), readiness, supervision, read-only. */
class ExportSessionTest {
    private static final long NS = 4026532500L;
    private static final DropKey KEY = new DropKey("__udp4_lib_rcv", 0x2a1, "NO_SOCKET", 0x800, NS, "lo");
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private ExportSession session;
    private Thread runner;

    private String start(FakeBackend backend) throws Exception {
        return start(backend, dev.droptop.model.DropFilter.ALL);
    }

    private String start(FakeBackend backend, dev.droptop.model.DropFilter filter) throws Exception {
        ExportOptions o = new ExportOptions("127.0.0.1", 0, "fake", 1_000_000_000L, 2000, 600_000_000_000L,
                Set.copyOf(DropSeries.LABELS), 30_000_000_000L);
        NetnsNames names = NetnsNames.of(Map.of(NS, new NetnsInfo(NS, "blue", 0, null, null, null, null, null, false)));
        session = new ExportSession(o, backend, names, "0.1.0", "6.18.44-test", new PrintStream(log, true, StandardCharsets.UTF_8));
        session.filter(filter);
        InetSocketAddress a = session.listen();
        runner = new Thread(() -> {
            try {
                session.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        runner.start();
        return "http://127.0.0.1:" + a.getPort();
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (session != null) {
            session.stop();
            runner.join(10_000);
        }
    }

    @Test
    void bothFormatsPassPromtoolAndNameTheFamilies() throws Exception {
        String url = start(new FakeBackend(KEY, 42));
        awaitReady(url);
        Http.Response text = Http.get(url + "/metrics", null);
        assertEquals(200, text.code());
        assertTrue(text.contentType().startsWith("text/plain; version=0.0.4"), text.contentType());
        assertTrue(text.body().contains(
                "droptop_drops_total{device=\"lo\",location=\"__udp4_lib_rcv\",netns=\"blue\",protocol=\"IPv4\",reason=\"NO_SOCKET\"} 42"),
                text.body());
        for (String family : new String[] {"droptop_lost_events_total{backend=\"fake\"} 0", "droptop_up 1",
                "droptop_backend_restarts_total{backend=\"fake\"} 0", "droptop_series_dropped_total 0",
                "droptop_build_info{backend=\"fake\",kernel=\"6.18.44-test\",version=\"0.1.0\"} 1"}) {
            assertTrue(text.body().contains(family), family + " in\n" + text.body());
        }
        Http.Response om = Http.get(url + "/metrics", "application/openmetrics-text; version=1.0.0; charset=utf-8");
        assertTrue(om.contentType().startsWith("application/openmetrics-text; version=1.0.0"), om.contentType());
        assertTrue(om.body().endsWith("# EOF\n"), om.body());
        assertTrue(om.body().contains("droptop_drops_total{device=\"lo\",location=\"__udp4_lib_rcv\",netns=\"blue\""), om.body());
        KernelTest.assumeTool("promtool", "prometheus");
        assertEquals("", promtool(text.body()), "promtool check metrics (Prometheus text)");
        // promtool (2.42) reads any input with the Prometheus text parser: the OpenMetrics output parses (exit 3 =
        // lint findings only, exit 1 would be a parse error), and its only findings are the counters whose HELP
        // names the family without _total, as OpenMetrics requires
        String om2 = promtool(om.body());
        assertTrue(om2.isEmpty() || om2.startsWith("exit 3: "), om2);
        for (String finding : om2.replaceFirst("^exit 3: ", "").lines().toList()) {
            Matcher m = Pattern.compile("^(droptop_\\w+)_total no help text$").matcher(finding);
            assertTrue(m.matches(), "unexpected promtool finding on OpenMetrics: " + finding);
            assertTrue(om.body().contains("# HELP " + m.group(1) + " ") && om.body().contains("# TYPE " + m.group(1) + " counter"),
                    finding);
        }
    }

    /** /ready and droptop_up follow the backend's counting(): perf record attaches after it starts. */
    @Test
    void notReadyUntilTheBackendCounts() throws Exception {
        FakeBackend backend = new FakeBackend(KEY, 1);
        backend.counting.set(false);
        String url = start(backend);
        dev.droptop.testing.Await.until("the exporter asking the running backend", 20_000, () -> {
            try {
                Http.get(url + "/ready", null);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            return backend.askedCounting.get() > 0;
        });
        assertEquals(503, Http.get(url + "/ready", null).code());
        assertTrue(Http.get(url + "/metrics", null).body().contains("droptop_up 0"));
        backend.counting.set(true);
        awaitReady(url);
        assertTrue(Http.get(url + "/metrics", null).body().contains("droptop_up 1"));
    }

    @Test
    void readOnlyAndNotFound() throws Exception {
        String url = start(new FakeBackend(KEY, 1));
        assertEquals(405, Http.request("POST", url + "/metrics", null).code());
        assertEquals(405, Http.request("DELETE", url + "/ready", null).code());
        assertEquals(404, Http.get(url + "/admin", null).code());
    }

    @Test
    void aDeadBackendIsRestartedCountedAndCountersKeepGrowing() throws Exception {
        FakeBackend backend = new FakeBackend(KEY, 100);
        String url = start(backend);
        awaitReady(url);
        assertEquals(100, drops(Http.get(url + "/metrics", null).body()));
        backend.die("fake exited (code 137)");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (backend.starts.get() < 2 && System.nanoTime() < deadline) {
            assertTrue(Http.get(url + "/metrics", null).code() == 200, "scrapes answer while the backend is down");
        }
        awaitReady(url);
        String body = Http.get(url + "/metrics", null).body();
        assertEquals(200, drops(body), "the second run's drops add to the first's");
        assertTrue(body.contains("droptop_backend_restarts_total{backend=\"fake\"} 1"), body);
        String lines = log.toString(StandardCharsets.UTF_8);
        assertEquals(1, lines.lines().count(), lines);
        assertTrue(lines.startsWith("droptop: backend fake died (fake exited (code 137)); restart 1 in 1 s"), lines);
    }

    @Test
    void filtersKeepOnlyTheirDrops() throws Exception {
        String url = start(new FakeBackend(KEY, 42), new dev.droptop.model.DropFilter("red", null, null, null, null, null));
        awaitReady(url);
        assertEquals(0, drops(Http.get(url + "/metrics", null).body()), "blue's drops filtered out");
    }

    @Test
    void filterOnTheNamedNetnsKeepsIt() throws Exception {
        String url = start(new FakeBackend(KEY, 42), new dev.droptop.model.DropFilter("blue", null, "lo", "NO_SOCKET",
                "__udp4_lib_rcv", "ipv4"));
        awaitReady(url);
        assertEquals(42, drops(Http.get(url + "/metrics", null).body()));
    }

    static long drops(String body) {
        Matcher m = Pattern.compile("(?m)^droptop_drops_total\\{[^}]*} ([0-9.eE+]+)$").matcher(body);
        long sum = 0;
        while (m.find()) {
            sum += (long) Double.parseDouble(m.group(1));
        }
        return sum;
    }

    private static void awaitReady(String url) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (Http.get(url + "/ready", null).code() == 200) {
                return;
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("exporter not ready after 20 s");
    }

    /** promtool's complaints about an exposition (empty when it accepts it). */
    static String promtool(String exposition) throws Exception {
        Process p = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
        p.getOutputStream().write(exposition.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return p.exitValue() == 0 ? out.strip() : "exit " + p.exitValue() + ": " + out;
    }
}
