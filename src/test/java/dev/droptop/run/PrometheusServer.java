package dev.droptop.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * A real Prometheus server for a test: listens on 127.0.0.1 on a free port, scrapes one target every
 * second, evaluates the given rule file every second, keeps its config and data in a temp directory;
 * {@link #close()} stops it and removes the directory.
 */
final class PrometheusServer implements AutoCloseable {
    private final Path dir;
    private final Process process;
    final String url;

    private PrometheusServer(Path dir, Process process, String url) {
        this.dir = dir;
        this.process = process;
        this.url = url;
    }

    static PrometheusServer start(String target, Path rules) throws IOException {
        Path dir = Files.createTempDirectory("droptop-test-prometheus");
        int port = Http.freePort();
        String config = "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\n"
                + (rules == null ? "" : "rule_files:\n  - '" + rules + "'\n")
                + "scrape_configs:\n  - job_name: droptop\n    static_configs:\n      - targets: ['" + target + "']\n";
        Files.writeString(dir.resolve("prometheus.yml"), config);
        Process p = new ProcessBuilder("prometheus", "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn").redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        PrometheusServer s = new PrometheusServer(dir, p, "http://127.0.0.1:" + port);
        try {
            s.await("Prometheus ready", 60, () -> {
                try {
                    return Http.get(s.url + "/-/ready", null).code() == 200;
                } catch (IOException e) {
                    return false;
                }
            });
        } catch (RuntimeException | Error e) {
            s.close();
            throw e;
        }
        return s;
    }

    /** The {@code data.result} of an instant query at {@code time} (seconds, null = now). */
    JsonNode query(String promql, String time) throws IOException {
        String q = url + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                + (time == null ? "" : "&time=" + time);
        Http.Response r = Http.get(q, null);
        JsonNode root = new ObjectMapper().readTree(r.body());
        if (!"success".equals(root.path("status").asText())) {
            throw new IOException("query " + promql + " failed: " + r.body());
        }
        return root.path("data").path("result");
    }

    /** The value of a one-series instant query, or NaN when it has no result. */
    double value(String promql, String time) throws IOException {
        JsonNode res = query(promql, time);
        return res.size() == 0 ? Double.NaN : Double.parseDouble(res.get(0).get("value").get(1).asText());
    }

    JsonNode alerts() throws IOException {
        return new ObjectMapper().readTree(Http.get(url + "/api/v1/alerts", null).body()).path("data").path("alerts");
    }

    String log() {
        try {
            return Files.readString(dir.resolve("prometheus.log"));
        } catch (IOException e) {
            return "";
        }
    }

    /** Polls {@code condition} (every 200 ms) for at most {@code seconds}; fails with {@code what}. */
    void await(String what, int seconds, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " after " + seconds + " s; prometheus log:\n" + log());
            }
            java.util.concurrent.locks.LockSupport.parkNanos(200_000_000L);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // best effort; the directory is under /tmp
        }
    }
}
