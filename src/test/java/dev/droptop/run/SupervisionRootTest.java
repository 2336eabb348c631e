package dev.droptop.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.droptop.testing.KernelTest;
import dev.droptop.testing.TestNetns;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Kills the exporter's bpftrace child while a scrape loop runs: every scrape answers, the drop counter
 * of the test's namespace never goes down, the restart is counted, drops after the restart are
 * counted, and SIGTERM then ends the exporter with exit 0 and no child left.
 */
@Tag("root")
class SupervisionRootTest {
    @Test
    void killedBackendIsRestartedWhileScrapesGoOn() throws Exception {
        KernelTest.assumeTracefs();
        KernelTest.assumeTool("bpftrace", "bpftrace");
        try (TestNetns ns = TestNetns.create("sup");
             Exporter exporter = Exporter.start("bpftrace")) {
            exporter.awaitReady(90);
            String sel = "location=\"__udp4_lib_rcv\",netns=\"" + ns.name() + "\"";
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong scrapes = new AtomicLong();
            AtomicLong last = new AtomicLong();
            AtomicLong restarts = new AtomicLong();
            AtomicReference<String> problem = new AtomicReference<>();
            Thread scraper = new Thread(() -> {
                while (!stop.get() && problem.get() == null) {
                    try {
                        Http.Response r = Http.get(exporter.url + "/metrics", null);
                        if (r.code() != 200) {
                            problem.set("scrape answered " + r.code());
                            return;
                        }
                        long v = counter(r.body(), sel);
                        if (v < last.get()) {
                            problem.set("counter went down: " + last.get() + " -> " + v);
                        }
                        last.set(v);
                        restarts.set(counter(r.body(), "backend=\"bpftrace\"", "droptop_backend_restarts_total"));
                        scrapes.incrementAndGet();
                    } catch (Exception e) {
                        problem.set("scrape failed: " + e);
                    }
                }
            }, "scraper");
            scraper.start();
            try {
                PrometheusRootTest.send(ns, 500);
                awaitCondition("500 drops counted", 60, () -> last.get() == 500);
                List<ProcessHandle> bpftrace = bpftrace(exporter.process);
                assertEquals(1, bpftrace.size(), "one bpftrace child");
                long before = scrapes.get();
                bpftrace.get(0).destroyForcibly();
                awaitCondition("the restart counted", 60, () -> restarts.get() == 1);
                exporter.awaitReady(90);
                PrometheusRootTest.send(ns, 700);
                awaitCondition("1200 drops counted", 60, () -> last.get() == 1200);
                assertTrue(scrapes.get() > before + 5, "scrapes went on during the restart");
            } finally {
                stop.set(true);
                scraper.join(20_000);
            }
            assertEquals(null, problem.get());
            String out = exporter.output();
            assertEquals(1, out.lines().filter(l -> l.contains("died")).count(), out);
            List<ProcessHandle> children = exporter.process.descendants().toList();
            assertEquals(0, exporter.terminate(), out);
            for (ProcessHandle c : children) {
                assertTrue(c.onExit().isDone() || !c.isAlive(), "child " + c.pid() + " left after SIGTERM");
            }
            assertTrue(exporter.output().contains("droptop: export stopped"), exporter.output());
        }
    }

    static long counter(String body, String labelPart) {
        return counter(body, labelPart, "droptop_drops_total");
    }

    static long counter(String body, String labelPart, String family) {
        Matcher m = Pattern.compile("(?m)^" + family + "\\{([^}]*)} ([0-9.eE+]+)$").matcher(body);
        long sum = 0;
        while (m.find()) {
            if (containsAll(m.group(1), labelPart)) {
                sum += (long) Double.parseDouble(m.group(2));
            }
        }
        return sum;
    }

    private static boolean containsAll(String labels, String part) {
        for (String p : part.split(",")) {
            if (!labels.contains(p)) {
                return false;
            }
        }
        return true;
    }

    private static List<ProcessHandle> bpftrace(Process p) {
        List<ProcessHandle> out = new ArrayList<>();
        p.descendants().filter(h -> h.info().command().map(c -> c.endsWith("/bpftrace")).orElse(false)).forEach(out::add);
        return out;
    }

    private static void awaitCondition(String what, int seconds, java.util.function.BooleanSupplier c) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " after " + seconds + " s");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L);
        }
    }
}
