package dev.droptop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.droptop.testing.KernelTest;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Privilege handling: as an unprivileged user (uid/gid 65534 via {@code setpriv}, a separate JVM)
 * the tracing commands fail with one clear line and the documented exit code; as root, output paths
 * that lead into /proc, /sys or /dev (directly or through symlinks) are refused with exit 2 before
 * anything is traced or written.
 */
class PrivilegeTest {
    private static final String NOBODY = "65534";

    record Run(int code, String stdout, String stderr) {
    }

    @Tag("root")
    @Test
    void unprivilegedTracingCommandsFailInOneLine(@TempDir Path tmp) throws Exception {
        assumeTrue(KernelTest.isRoot() && KernelTest.onPath("setpriv"), "needs root and setpriv (util-linux)");
        Path out = tmp.resolve("nobody.jsonl");
        Run r = asNobody(tmp, "capture", "-o", out.toString(), "--duration", "1s");
        oneLine(r, 1, "droptop: no backend works here: ");
        assertTrue(r.stderr().contains("needs root"), r.stderr());
        assertFalse(Files.exists(out), "no capture file without a backend");

        oneLine(asNobody(tmp, "capture", "--backend", "tracefs", "-o", out.toString(), "--duration", "1s"), 1,
                "droptop: tracefs does not work here: tracefs needs root");
        oneLine(asNobody(tmp, "capture", "--backend", "bpftrace", "-o", out.toString(), "--duration", "1s"), 1,
                "droptop: bpftrace does not work here: needs root");
        oneLine(asNobody(tmp, "live", "--duration", "1s"), 2, "droptop: live needs a terminal");
        oneLine(asNobody(tmp, "lab", "run", "nat-baseline"), -1, "droptop: ");
    }

    @Tag("root")
    @Test
    void unprivilegedConntrackNetnsFailsInOneLine(@TempDir Path tmp) throws Exception {
        KernelTest.assumeRootAndNetns();
        assumeTrue(KernelTest.onPath("setpriv"), "needs setpriv (util-linux)");
        String ns = "dt-priv-" + ProcessHandle.current().pid();
        assertEquals(0, new ProcessBuilder("ip", "netns", "add", ns).inheritIO().start().waitFor());
        try {
            oneLine(asNobody(tmp, "conntrack", "--netns", ns), 2, "droptop: setns(/run/netns/" + ns + ") failed");
        } finally {
            new ProcessBuilder("ip", "netns", "del", ns).inheritIO().start().waitFor();
        }
        oneLine(asNobody(tmp, "conntrack", "--netns", "dt-no-such-ns"), 2, "droptop: no network namespace dt-no-such-ns");
    }

    @Test
    void outputPathsIntoProcSysOrDevAreRefused(@TempDir Path tmp) throws Exception {
        Path link = tmp.resolve("forward.jsonl");
        Files.createSymbolicLink(link, Path.of("/proc/sys/net/ipv4/ip_forward"));
        Path dirLink = tmp.resolve("sys");
        Files.createSymbolicLink(dirLink, Path.of("/sys/kernel"));
        Path dangling = tmp.resolve("dangling.jsonl");
        Files.createSymbolicLink(dangling, Path.of("/sys/kernel/droptop-no-such-file"));
        Path chain = tmp.resolve("chain.jsonl");
        Files.createSymbolicLink(chain, link);
        String trace = "src/test/resources/malformed/tracefs-ansi-osc.txt";
        for (Path p : List.of(Path.of("/proc/sys/net/ipv4/ip_forward"), link, dirLink.resolve("x.jsonl"), dangling,
                chain, Path.of("/dev/sda"))) {
            CliRunner.Result c = CliRunner.run("capture", "-o", p.toString(), "--duration", "1s");
            assertEquals(2, c.code(), p + ": " + c.stderr());
            assertTrue(c.stderr().startsWith("droptop: " + p + ": refusing to write under /"), c.stderr());
            assertEquals(1, c.stderr().strip().split("\n").length, c.stderr());
            CliRunner.Result r = CliRunner.run("report", "-o", p.toString(), trace);
            assertEquals(2, r.code(), p + ": " + r.stderr());
            assertTrue(r.stderr().startsWith("droptop: " + p + ": refusing to write under /"), r.stderr());
        }
        assertFalse(Files.exists(Path.of("/sys/kernel/droptop-no-such-file")));
        // an ordinary file next to them is fine
        CliRunner.Result ok = CliRunner.run("report", "-o", tmp.resolve("ok.txt").toString(), trace);
        assertEquals(0, ok.code(), ok.stderr());
    }

    /** Child processes get argument lists: no shell, no {@code Runtime.exec(String)} anywhere in main code. */
    @Test
    void noShellStringsInMainCode() throws IOException {
        Path main = KernelTest.projectDir().resolve("src/main/java");
        List<String> bad = new ArrayList<>();
        try (var walk = Files.walk(main)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (!p.toString().endsWith(".java")) {
                    continue;
                }
                String src = Files.readString(p);
                for (String s : new String[] {"\"sh\"", "\"bash\"", "\"/bin/sh\"", "\"-c\"", "Runtime.getRuntime().exec("}) {
                    if (src.contains(s)) {
                        bad.add(main.relativize(p) + ": " + s);
                    }
                }
            }
        }
        assertEquals(List.of(), bad);
    }

    private static void oneLine(Run r, int exit, String prefix) {
        if (exit >= 0) {
            assertEquals(exit, r.code(), r.stderr());
        } else {
            assertTrue(r.code() == 1 || r.code() == 2, r.code() + ": " + r.stderr());
        }
        assertEquals(1, r.stderr().strip().split("\n").length, r.stderr());
        assertTrue(r.stderr().startsWith(prefix), r.stderr());
        assertFalse(r.stderr().contains("Exception") || r.stderr().contains("\tat "), r.stderr());
    }

    /** Runs droptop as uid/gid 65534 in a fresh JVM, from a copy of the class path it can read. */
    private static Run asNobody(Path tmp, String... args) throws IOException, InterruptedException {
        Path cp = tmp.resolve("cp");
        if (!Files.exists(cp)) {
            Files.createDirectories(cp);
            for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
                Path p = Path.of(e);
                if (e.endsWith(".jar") && Files.isRegularFile(p)) {
                    Files.copy(p, cp.resolve(p.getFileName()));
                }
            }
            Path classes = KernelTest.projectDir().resolve("target/classes");
            try (var walk = Files.walk(classes)) {
                for (Path p : (Iterable<Path>) walk::iterator) {
                    Path dst = cp.resolve("classes").resolve(classes.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(dst);
                    } else {
                        Files.copy(p, dst);
                    }
                }
            }
            try (var walk = Files.walk(tmp)) {
                for (Path p : (Iterable<Path>) walk::iterator) {
                    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(
                            Files.isDirectory(p) ? "rwxrwxrwx" : "rw-r--r--"));
                }
            }
        }
        List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY,
                "--clear-groups", Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
                "-cp", cp.resolve("classes") + File.pathSeparator + cp + "/*", "dev.droptop.cli.Main"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectInput(ProcessBuilder.Redirect.from(
                new File("/dev/null"))).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "droptop as nobody did not finish");
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }
}
