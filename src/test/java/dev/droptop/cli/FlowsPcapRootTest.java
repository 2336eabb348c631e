package dev.droptop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.droptop.capture.CaptureReader;
import dev.droptop.model.DropAggregator;
import dev.droptop.model.FlowCount;
import dev.droptop.testing.KernelTest;
import dev.droptop.testing.Signalled;
import dev.droptop.testing.TestNetns;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code capture --flows --pcap} with bpftrace against real drops: 1000 UDP datagrams from one test
 * namespace to a closed port in another, over veth in 198.18.0.0/15. tshark reads them from the
 * pcapng with their NO_SOCKET comments; the capture's report lists the flow with its count. The
 * {@code --host}/{@code --port} filters keep other tests' drops out of flows and packets (in the kernel).
 */
@Tag("root")
class FlowsPcapRootTest {
    private static final String A = "198.18.151.1";
    private static final String B = "198.18.151.2";
    private static final int PORT = 9;
    private static final int COUNT = 1000;
    private static final List<Process> STARTED = new ArrayList<>();
    private static int links;

    @TempDir
    Path tmp;

    @AfterEach
    void endLeftovers() throws InterruptedException {
        for (Process p : STARTED) {
            Signalled.end(p);
        }
        STARTED.clear();
    }

    @Test
    void udpToAClosedPortIsInThePcapAndInTheFlows() throws Exception {
        assume();
        Path file = tmp.resolve("flows.jsonl");
        Path pcap = tmp.resolve("drops.pcapng");
        try (TestNetns a = TestNetns.create("flowa"); TestNetns b = TestNetns.create("flowb")) {
            String devB = veth(a, b);
            Process p = capture(file, "--flows", "--pcap", pcap.toString(), "--host", B, "--port", Integer.toString(PORT));
            awaitIntervals(file, 1);
            String sent = load(a);
            assertTrue(sent.contains("sent=" + COUNT), sent);
            long seen = awaitFlowCount(file, COUNT);
            // the pcap is flushed at every interval end: one more interval and the packets are on disk
            awaitIntervals(file, intervals(file) + 2);
            new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "capture did not end on SIGINT");
            String err = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), err);
            assertTrue(err.contains("packets written to " + pcap), err);
            assertEquals(COUNT, seen, "flow count in the capture");

            List<String[]> rows = tshark(pcap, "frame.comment", "ip.src", "ip.dst", "udp.dstport", "frame.interface_name");
            long ours = 0;
            for (String[] r : rows) {
                if (r.length >= 5 && r[1].equals(A) && r[2].equals(B) && r[3].equals(Integer.toString(PORT))) {
                    ours++;
                    assertTrue(r[0].contains("reason=NO_SOCKET") && r[0].contains("location=__udp4_lib_rcv"), r[0]);
                    assertTrue(r[0].contains("netns=" + b.name() + " dev=" + devB), r[0]);
                    assertEquals(devB + "@" + b.name(), r[4]);
                } else {
                    throw new AssertionError("a packet the --host/--port filter should have kept out: "
                            + String.join(" | ", r));
                }
            }
            assertTrue(ours >= COUNT * 99 / 100, "tshark read " + ours + " of " + COUNT + " datagrams");

            CliRunner.Result json = CliRunner.run("report", "--format", "json", file.toString());
            assertEquals(0, json.code(), json.stderr());
            JsonNode flows = new ObjectMapper().readTree(json.stdout()).get("flows");
            JsonNode ourFlow = null;
            for (JsonNode f : flows) {
                if (A.equals(f.path("src").asText()) && B.equals(f.path("dst").asText())) {
                    ourFlow = f;
                }
            }
            assertTrue(ourFlow != null, json.stdout());
            assertEquals("__udp4_lib_rcv", ourFlow.get("symbol").asText());
            assertEquals("NO_SOCKET", ourFlow.get("reason").asText());
            assertEquals("udp", ourFlow.get("proto").asText());
            assertEquals(PORT, ourFlow.get("dport").asInt());
            assertEquals(COUNT, ourFlow.get("count").asLong());
        }
    }

    /**
     * {@code capture -- CMD} starts the load once bpftrace counts: a load started at once lost the drops
     * of bpftrace's attach time (a 5 s flood: 139,136 of 250,048 counted). The capture ends with the load,
     * and bpftrace's last print holds every flow.
     */
    @Test
    void aLoadCommandLosesNoDropToTheAttachTime() throws Exception {
        assume();
        Path file = tmp.resolve("cmd.jsonl");
        try (TestNetns a = TestNetns.create("flowc"); TestNetns b = TestNetns.create("flowd")) {
            veth(a, b);
            List<String> load = new ArrayList<>(List.of("--", "ip", "netns", "exec", a.name()));
            load.addAll(loadCommand());
            List<String> args = new ArrayList<>(List.of("--flows", "--host", B, "--port", Integer.toString(PORT)));
            args.addAll(load);
            Process p = capture(file, args.toArray(String[]::new));
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "capture did not end with its load command");
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.contains("sent=" + COUNT), out);

            CliRunner.Result json = CliRunner.run("report", "--format", "json", file.toString());
            assertEquals(0, json.code(), json.stderr());
            long counted = 0;
            for (JsonNode f : new ObjectMapper().readTree(json.stdout()).get("flows")) {
                if (A.equals(f.path("src").asText()) && B.equals(f.path("dst").asText())) {
                    counted += f.get("count").asLong();
                }
            }
            assertEquals(COUNT, counted, json.stdout());
        }
    }

    @Test
    void killNineLeavesAPcapThatTsharkReads() throws Exception {
        assume();
        Path file = tmp.resolve("k9.jsonl");
        Path pcap = tmp.resolve("k9.pcapng");
        try (TestNetns a = TestNetns.create("flowk"); TestNetns b = TestNetns.create("flowl")) {
            veth(a, b);
            Process p = capture(file, "--pcap", pcap.toString(), "--pcap-rate", "0", "--host", B);
            awaitIntervals(file, 1);
            load(a);
            // packets reach the file at an interval's flush (once bpftrace has printed them): wait for some
            long deadline = System.currentTimeMillis() + 90_000;
            while (Files.size(pcap) < 1000 && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(Files.size(pcap) >= 1000, "no packets flushed to " + pcap + " in 90 s");
            p.destroyForcibly(); // SIGKILL
            assertTrue(p.waitFor(10, TimeUnit.SECONDS));
            Result r = run(pcap, "ip.dst");
            assertEquals(0, r.rc, "tshark on the pcap of a killed capture: " + r.err);
            assertFalse(r.lines.isEmpty(), "packets before the kill are readable");
            List<String> others = r.lines.stream().filter(l -> !l.equals(B)).limit(5).toList();
            assertTrue(others.isEmpty(), "packets the --host filter should have kept out, e.g. " + others);
        }
    }

    private static void assume() {
        KernelTest.assumeTracefs();
        KernelTest.assumeTool("bpftrace", "bpftrace");
        KernelTest.assumeTool("tshark", "tshark");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(Path.of("/sys/kernel/btf/vmlinux")), "needs BTF");
    }

    /** A veth pair a (A) - b (B); returns b's device name. */
    private static String veth(TestNetns a, TestNetns b) throws IOException {
        String tag = Long.toString(ProcessHandle.current().pid() % 100_000) + nextLink();
        String da = "dfa" + tag;
        String db = "dfb" + tag;
        TestNetns.run("ip", "link", "add", da, "netns", a.name(), "type", "veth", "peer", "name", db, "netns", b.name());
        a.exec("ip", "addr", "add", A + "/24", "dev", da);
        b.exec("ip", "addr", "add", B + "/24", "dev", db);
        a.exec("ip", "link", "set", da, "up");
        b.exec("ip", "link", "set", db, "up");
        return db;
    }

    private static synchronized int nextLink() {
        return links++;
    }

    private static String load(TestNetns ns) throws IOException {
        return ns.exec(loadCommand().toArray(String[]::new));
    }

    private static List<String> loadCommand() {
        return List.of(ProcessHandle.current().info().command().orElse("java"), "-cp", System.getProperty("java.class.path"),
                "dev.droptop.testing.DropGen", "udp", B, Integer.toString(PORT), Integer.toString(COUNT), "30");
    }

    private static Process capture(Path file, String... extra) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "-Ddroptop.home=" + KernelTest.projectDir(), "dev.droptop.cli.Main", "capture", "-o", file.toString(),
                "--backend", "bpftrace", "--duration", "5m"));
        cmd.addAll(Arrays.asList(extra));
        Process p = new ProcessBuilder(Signalled.command(cmd)).redirectErrorStream(true).start();
        STARTED.add(p);
        return p;
    }

    private static long intervals(Path file) throws IOException {
        return Files.readAllLines(file).stream().filter(l -> l.contains("\"type\":\"interval\"")).count();
    }

    /** Waits until the file holds {@code n} interval lines (bpftrace is attached and windows close). */
    private static void awaitIntervals(Path file, long n) throws Exception {
        long deadline = System.currentTimeMillis() + 90_000; // bpftrace compiles for ~8 s on a busy 2-core VM
        while (System.currentTimeMillis() < deadline) {
            if (Files.exists(file) && intervals(file) >= n) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no " + n + " intervals in " + file + " after 90 s");
    }

    /** Waits until the capture's flows to B:PORT add up to {@code want} (or 60 s pass); returns the sum. */
    private static long awaitFlowCount(Path file, long want) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        long sum = 0;
        while (System.currentTimeMillis() < deadline) {
            DropAggregator agg = new DropAggregator(1_000_000_000L);
            CaptureReader.read(file, agg);
            agg.finish();
            sum = 0;
            for (FlowCount f : agg.snapshot().flows()) {
                if (f.flow().dst().equals(B) && f.flow().dport() == PORT) {
                    sum += f.count();
                }
            }
            if (sum >= want) {
                return sum;
            }
            Thread.sleep(200);
        }
        return sum;
    }

    private record Result(int rc, List<String> lines, String err) {
    }

    private static List<String[]> tshark(Path f, String... fields) throws Exception {
        Result r = run(f, fields);
        assertEquals(0, r.rc, r.err);
        List<String[]> out = new ArrayList<>();
        r.lines.forEach(l -> out.add(l.split("\t", -1)));
        return out;
    }

    private static Result run(Path f, String... fields) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", f.toString(), "-T", "fields"));
        for (String field : fields) {
            cmd.add("-e");
            cmd.add(field);
        }
        Process p = new ProcessBuilder(cmd).start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        String text = new String(out, StandardCharsets.UTF_8);
        return new Result(p.exitValue(), text.isEmpty() ? List.of() : Arrays.asList(text.split("\n")), err);
    }
}
