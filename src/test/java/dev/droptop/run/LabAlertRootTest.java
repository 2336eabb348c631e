package dev.droptop.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.droptop.testing.KernelTest;
import dev.droptop.testing.Signalled;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The lab's NAT case with a small conntrack max while droptop export runs and a real Prometheus
 * evaluates deploy/prometheus/droptop.rules.yml every second: /api/v1/alerts shows the conntrack-full
 * alert firing for the lab's nat namespace. The lab restores nf_conntrack_max and removes its namespaces.
 * The alert ({@code for: 0m}) fires within seconds of the first drops and, through
 * {@code increase(droptop_conntrack_drops_total[1m])}, stays firing a minute after the 12 s lab ends.
 */
@Tag("root")
class LabAlertRootTest {
    @Test
    void conntrackFullAlertFiresDuringTheNatLab() throws Exception {
        KernelTest.assumeTracefs();
        KernelTest.assumeTool("bpftrace", "bpftrace");
        KernelTest.assumeTool("prometheus", "prometheus");
        KernelTest.assumeTool("nft", "nftables");
        Path rules = KernelTest.projectDir().resolve("deploy/prometheus/droptop.rules.yml");
        try (Exporter exporter = Exporter.start("bpftrace")) {
            exporter.awaitReady(90);
            try (PrometheusServer prom = PrometheusServer.start(exporter.url.substring("http://".length()), rules)) {
                prom.await("droptop_up = 1 in Prometheus", 60,
                        () -> PrometheusRootTest.value(prom, "droptop_up{job=\"droptop\"}", null) == 1);
                String java = ProcessHandle.current().info().command().orElse("java");
                Path labLog = Files.createTempFile("droptop-test-lab", ".log");
                Process lab = new ProcessBuilder(Signalled.command(List.of(java, "-cp", System.getProperty("java.class.path"),
                        "-Ddroptop.home=" + KernelTest.projectDir(), "dev.droptop.cli.Main", "lab", "nat", "--no-capture",
                        "--hosts", "64", "--ports-per-host", "63", "--conntrack-max", "1000", "--duration", "12s")))
                        .redirectErrorStream(true).redirectOutput(labLog.toFile()).start();
                // other engineers' labs may run at the same time: only this lab's namespaces count
                String mine = "droptop-lab-" + lab.pid() + "-";
                AtomicReference<JsonNode> firing = new AtomicReference<>();
                try {
                    prom.await("DroptopConntrackTableFull firing", 120, () -> {
                        try {
                            for (JsonNode a : prom.alerts()) {
                                if (a.path("labels").path("alertname").asText().equals("DroptopConntrackTableFull")
                                        && a.path("state").asText().equals("firing")
                                        && a.path("labels").path("netns").asText().startsWith(mine)) {
                                    firing.set(a);
                                    return true;
                                }
                            }
                            return false;
                        } catch (java.io.IOException e) {
                            return false;
                        }
                    });
                } finally {
                    if (!lab.waitFor(120, TimeUnit.SECONDS)) {
                        Signalled.end(lab);
                    }
                }
                String out = Files.readString(labLog);
                Files.deleteIfExists(labLog);
                assertEquals(0, lab.exitValue(), out);
                JsonNode a = firing.get();
                assertEquals("critical", a.path("labels").path("severity").asText());
                assertTrue(a.path("annotations").path("summary").asText().contains("is full"), a.toString());
                System.out.println("firing: " + a);
            }
            assertEquals(0, exporter.terminate(), exporter.output());
        }
    }
}
