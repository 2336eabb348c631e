package dev.droptop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.droptop.lab.ConntrackMax;
import dev.droptop.system.ProcFs;
import dev.droptop.testing.KernelTest;
import dev.droptop.testing.Signalled;
import dev.droptop.testing.Tmux;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * SIGINT and SIGTERM to each long-running command (capture, live, lab, profile), started as users
 * start them, in its busiest state (backend running, lab namespaces and NAT up, nf_conntrack_max
 * lowered, perf recording): the process ends, and afterwards no child of it runs and the machine
 * shows the same network namespaces, root nftables tables, tracefs instances, global sysctls and
 * droptop files in /tmp and /run as before it started. live leaves its screen and restores the
 * terminal; profile stops recording early and shows the profile so far.
 */
@Tag("root")
class SignalsLeaveNothingTest {
    private static final List<Path> SYSCTLS = List.of(ConntrackMax.MAX,
            Path.of("/proc/sys/net/core/netdev_max_backlog"), Path.of("/proc/sys/net/ipv4/ip_forward"),
            Path.of("/proc/sys/net/core/somaxconn"), Path.of("/proc/sys/kernel/perf_event_paranoid"),
            Path.of("/proc/sys/net/ipv4/ip_local_port_range"));

    private static final List<Process> STARTED = new ArrayList<>();

    /** What a failed assertion left running is ended (SIGTERM, then SIGKILL), not leaked into later tests. */
    @AfterEach
    void endLeftovers() throws InterruptedException {
        for (Process p : STARTED) {
            Signalled.end(p);
        }
        STARTED.clear();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"capture, INT", "capture, TERM", "lab, INT", "lab, TERM", "profile, INT", "profile, TERM",
            "live, INT", "live, TERM"})
    void signalLeavesNothingBehind(String command, String signal) throws Exception {
        KernelTest.assumeRootAndNetns();
        KernelTest.assumeTracefs();
        State before = State.read();
        long pid;
        switch (command) {
            case "capture" -> {
                Path file = Files.createTempFile("dtt-signal", ".jsonl");
                try {
                    Process p = droptop("capture", "--backend", "perf-native", "--stacks", "-o", file.toString());
                    pid = p.pid();
                    awaitOutput(p, file, "\"interval\"");
                    stop(p, signal, "capture");
                    assertEquals(0, p.exitValue(), "capture exits 0 on SIG" + signal);
                } finally {
                    Files.deleteIfExists(file);
                }
            }
            case "lab" -> {
                Assumptions.assumeTrue(Files.exists(ConntrackMax.MAX), "nf_conntrack not loaded");
                Process p = droptop("lab", "nat", "--conntrack-max", "1000", "--duration", "60s");
                pid = p.pid();
                long deadline = System.currentTimeMillis() + 30_000;
                while (!(ConntrackMax.read() == 1000 && labNetns(pid) > 0) && System.currentTimeMillis() < deadline) {
                    Thread.sleep(100);
                }
                assertEquals(1000, ConntrackMax.read(), "the lab lowered nf_conntrack_max");
                Thread.sleep(3000); // load and capture under way
                stop(p, signal, "lab");
            }
            case "profile" -> {
                KernelTest.assumeTool("perf", "linux-perf");
                Process p = droptop("profile", "--duration", "60s", "--format", "text");
                pid = p.pid();
                long deadline = System.currentTimeMillis() + 20_000;
                while (p.descendants().noneMatch(h -> h.info().command().orElse("").endsWith("perf"))
                        && System.currentTimeMillis() < deadline) {
                    Thread.sleep(100);
                }
                Thread.sleep(1000);
                stop(p, signal, "profile");
                assertEquals(0, p.exitValue(), "profile shows what perf recorded before SIG" + signal);
            }
            case "live" -> pid = live(signal);
            default -> throw new IllegalArgumentException(command);
        }
        State after = State.read();
        assertEquals(before.sysctls(), after.sysctls(), "global sysctls after " + command + " got SIG" + signal);
        assertEquals(State.EMPTY, after.leftBy(before, pid), "left behind after " + command + " got SIG" + signal);
    }

    /** live on a terminal (tmux): the signal ends it and the terminal is back in cooked mode; its pid. */
    private long live(String signal) throws Exception {
        Assumptions.assumeTrue(Tmux.installed(), "tmux is not installed");
        Path dir = KernelTest.projectDir();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cmd = "cd '" + dir + "' && before=$(stty -g); '" + java + "' -Ddroptop.home='" + dir + "' -cp '"
                + System.getProperty("java.class.path") + "' dev.droptop.cli.Main live --backend tracefs --stacks;"
                + " rc=$?; [ \"$(stty -g)\" = \"$before\" ] && echo TTY_RESTORED; echo DROPTOP_EXIT=$rc; sleep 60";
        try (Tmux tmux = new Tmux("dts")) {
            tmux.run("new-session", "-d", "-x", "120", "-y", "40", "-e", "LANG=C.UTF-8", cmd);
            tmux.waitFor(20_000, "p pause");
            long shell = Long.parseLong(tmux.run("display-message", "-p", "#{pane_pid}").trim());
            ProcessHandle jvm = ProcessHandle.of(shell).orElseThrow().children()
                    .filter(h -> h.info().command().orElse("").endsWith("java")).findFirst().orElseThrow();
            List<ProcessHandle> children = jvm.descendants().toList();
            Thread.sleep(1000);
            kill(signal, jvm.pid());
            String screen = tmux.waitFor(15_000, "DROPTOP_EXIT=");
            assertTrue(screen.contains("TTY_RESTORED"), "terminal left in raw mode:\n" + screen);
            assertNoneAlive(children);
            assertFalse(jvm.isAlive());
            return jvm.pid();
        }
    }

    private static Process droptop(String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "-Ddroptop.home=" + KernelTest.projectDir(), "dev.droptop.cli.Main"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(Signalled.command(cmd)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        STARTED.add(p);
        return p;
    }

    private static void awaitOutput(Process p, Path file, String text) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline && p.isAlive()) {
            if (Files.readString(file).contains(text)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no " + text + " in " + file + " within 20 s (alive: " + p.isAlive() + ")");
    }

    /** Sends the signal with kill(1), as a user would, and waits for the end and for every child to go. */
    private static void stop(Process p, String signal, String what) throws Exception {
        assertTrue(p.isAlive(), what + " ended before the signal");
        List<ProcessHandle> children = p.descendants().toList();
        kill(signal, p.pid());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), what + " did not end within 30 s of SIG" + signal);
        assertNoneAlive(children);
    }

    private static void kill(String signal, long pid) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start().waitFor());
    }

    private static void assertNoneAlive(List<ProcessHandle> children) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 3000;
        while (children.stream().anyMatch(ProcessHandle::isAlive) && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        for (ProcessHandle c : children) {
            assertFalse(c.isAlive(), "child " + c.pid() + " (" + c.info().commandLine().orElse("?") + ") outlived droptop");
        }
    }

    private static long labNetns(long pid) throws Exception {
        return State.lines("ip", "netns", "list").stream().filter(l -> l.startsWith("droptop-lab-" + pid + "-")).count();
    }

    /**
     * What droptop may touch, read from the system. Other test runs on the machine (another clone's
     * bin/test, a colleague's lab) create and remove their own namespaces, instances and files meanwhile:
     * {@link #leftBy} counts only what appeared and names the process under test (droptop puts its pid in
     * every namespace and tracefs instance it makes), and every new droptop file but the tests' own logs.
     */
    record State(TreeSet<String> netns, TreeSet<String> nftTables, TreeSet<String> tracefsInstances,
                 Map<String, String> sysctls, TreeSet<String> files) {
        static final State EMPTY = new State(new TreeSet<>(), new TreeSet<>(), new TreeSet<>(), Map.of(),
                new TreeSet<>());

        /** What is here and not in {@code before} and belongs to process {@code pid}; sysctls left out. */
        State leftBy(State before, long pid) {
            return new State(newOf(netns, before.netns, pid), newOf(nftTables, before.nftTables, pid),
                    newOf(tracefsInstances, before.tracefsInstances, pid), Map.of(),
                    newFiles(files, before.files));
        }

        private static TreeSet<String> newOf(TreeSet<String> now, TreeSet<String> before, long pid) {
            TreeSet<String> out = new TreeSet<>();
            String p = Long.toString(pid);
            for (String s : now) {
                if (!before.contains(s) && (s.contains("-" + p + "-") || s.endsWith("-" + p))) {
                    out.add(s);
                }
            }
            return out;
        }

        private static TreeSet<String> newFiles(TreeSet<String> now, TreeSet<String> before) {
            TreeSet<String> out = new TreeSet<>();
            for (String f : now) {
                if (!before.contains(f) && !Path.of(f).getFileName().toString().startsWith("droptop-test-")) {
                    out.add(f);
                }
            }
            return out;
        }

        static State read() throws Exception {
            TreeSet<String> netns = new TreeSet<>();
            lines("ip", "netns", "list").forEach(l -> netns.add(l.split(" ")[0]));
            Map<String, String> sysctls = new TreeMap<>();
            for (Path s : SYSCTLS) {
                if (Files.exists(s)) {
                    sysctls.put(s.toString(), ProcFs.text(s).trim());
                }
            }
            TreeSet<String> files = new TreeSet<>();
            for (String dir : new String[] {"/tmp", "/run"}) {
                try (Stream<Path> s = Files.list(Path.of(dir))) {
                    s.map(f -> f.toString()).filter(f -> f.contains("droptop")).forEach(files::add);
                }
            }
            return new State(netns, new TreeSet<>(lines("nft", "list", "tables")),
                    list(Path.of("/sys/kernel/tracing/instances")), sysctls, files);
        }

        private static TreeSet<String> list(Path dir) throws IOException {
            TreeSet<String> out = new TreeSet<>();
            try (Stream<Path> s = Files.list(dir)) {
                s.forEach(p -> out.add(Optional.ofNullable(p.getFileName()).map(Path::toString).orElse("")));
            }
            return out;
        }

        static List<String> lines(String... cmd) throws Exception {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor();
            return out.lines().filter(l -> !l.isBlank()).toList();
        }
    }
}
