package dev.droptop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.droptop.testing.KernelTest;
import dev.droptop.testing.Signalled;
import dev.droptop.testing.TestNetns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live bpftrace capture with drops in two namespaces the test names: unfiltered, the report shows
 * them apart under their names; with {@code --netns A} the capture holds only A's.
 */
@Tag("root")
class CaptureFilterRootTest {
    @TempDir
    Path dir;

    @Test
    void twoNamedNamespacesApartAndFiltered() throws Exception {
        KernelTest.assumeTracefs();
        KernelTest.assumeTool("bpftrace", "bpftrace");
        try (TestNetns a = TestNetns.create("fa"); TestNetns b = TestNetns.create("fb")) {
            Path all = dir.resolve("all.jsonl");
            Path onlyA = dir.resolve("a.jsonl");
            Process p1 = capture(all);
            Process p2 = capture(onlyA, "--netns", a.name());
            try {
                awaitIntervals(all);
                awaitIntervals(onlyA);
                send(a, 300);
                send(b, 200);
                awaitDrops(all, 500);
            } finally {
                for (Process p : List.of(p1, p2)) {
                    new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor();
                    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
                }
            }
            JsonNode r = json(all, "--location", "__udp4_lib_rcv");
            assertEquals(500, r.get("total").asLong());
            assertEquals(a.name(), r.get("drops").get(0).get("netns").get("name").asText());
            assertEquals(300, r.get("drops").get(0).get("count").asLong());
            assertEquals(b.name(), r.get("drops").get(1).get("netns").get("name").asText());
            assertEquals(200, r.get("drops").get(1).get("count").asLong());
            JsonNode fa = json(onlyA, "--location", "__udp4_lib_rcv");
            assertEquals(300, fa.get("total").asLong());
            assertEquals(300, json(onlyA).get("total").asLong(), "nothing from other namespaces");
        }
    }

    private static JsonNode json(Path f, String... more) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("report", f.toString(), "--format", "json"));
        args.addAll(List.of(more));
        CliRunner.Result r = CliRunner.run(args.toArray(new String[0]));
        assertEquals(0, r.code(), r.stderr());
        return new ObjectMapper().readTree(r.stdout());
    }

    private static Process capture(Path file, String... more) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "-Ddroptop.home=" + KernelTest.projectDir(), "dev.droptop.cli.Main", "capture", "-o", file.toString(),
                "--backend", "bpftrace", "--duration", "120s"));
        cmd.addAll(List.of(more));
        return new ProcessBuilder(Signalled.command(cmd)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static void send(TestNetns ns, int n) throws Exception {
        String out = ns.exec(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), "dev.droptop.testing.DropGen", "udp", "127.0.0.1", "9",
                Integer.toString(n), "30");
        assertTrue(out.contains("sent=" + n + " "), out);
    }

    private static void awaitIntervals(Path f) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!(Files.exists(f) && Files.readString(f).contains("\"type\":\"interval\""))) {
            assertTrue(System.nanoTime() < deadline, "no interval in " + f);
            java.util.concurrent.locks.LockSupport.parkNanos(200_000_000L);
        }
    }

    private static void awaitDrops(Path f, long n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            CliRunner.Result r = CliRunner.run("report", f.toString(), "--format", "json", "--location", "__udp4_lib_rcv");
            if (r.code() == 0 && new ObjectMapper().readTree(r.stdout()).get("total").asLong() >= n) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, "no " + n + " drops in " + f);
            java.util.concurrent.locks.LockSupport.parkNanos(500_000_000L);
        }
    }
}
