package dev.droptop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/droptop} in a copy of the checkout whose jar, run copy and CDS archives are up to date, with
 * {@code java} and {@code mvn} replaced by scripts that write down how they were called, and {@code find},
 * {@code stat}, {@code readlink} and {@code dirname} by scripts that fail: the path to a run uses bash's
 * builtins only (each fork and exec cost 5-15 ms of a 0.3 s report), picks the JVM flags by command, runs
 * java in the caller's directory, and still rebuilds when a source is newer than the jar.
 */
@EnabledOnOs(OS.LINUX)
class LauncherTest {
    private static final String[] FORBIDDEN = {"find", "stat", "readlink", "dirname"};

    @TempDir
    Path tmp;
    private Path home;
    private Path fakes;
    private Path calls;

    @BeforeEach
    void checkout() throws IOException {
        home = Files.createDirectories(tmp.resolve("droptop"));
        Files.createDirectories(home.resolve("bin"));
        Files.copy(Path.of(System.getProperty("droptop.project.dir", ".")).resolve("bin/droptop"),
                home.resolve("bin/droptop"));
        executable(home.resolve("bin/droptop"));
        Path source = home.resolve("src/main/java/dev/droptop/A.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, "class A {}\n");
        Files.writeString(home.resolve("pom.xml"), "<project/>\n");
        Files.createDirectories(home.resolve("target"));
        long now = System.currentTimeMillis();
        age(source, now - 60_000);
        age(home.resolve("pom.xml"), now - 60_000);
        age(source.getParent(), now - 60_000);
        for (Path dir = source.getParent().getParent(); !dir.equals(home); dir = dir.getParent()) {
            age(dir, now - 60_000);
        }
        touch(home.resolve("target/droptop.jar"), now - 3000);
        touch(home.resolve("target/droptop-run.jar"), now - 2000);
        touch(home.resolve("target/droptop-run.jsa"), now - 1000);
        touch(home.resolve("target/droptop-report.jsa"), now - 1000);
        fakes = Files.createDirectories(tmp.resolve("fakes"));
        calls = Files.createDirectories(tmp.resolve("calls"));
        script("java", "pwd > \"$CALLS/java.cwd\"; printf '%s\\n' \"$@\" > \"$CALLS/java.args\"");
        script("mvn", "echo called > \"$CALLS/mvn\"; touch \"$DROPTOP_HOME/target/droptop.jar\"");
        for (String tool : FORBIDDEN) {
            script(tool, "echo called > \"$CALLS/" + tool + "\"; exit 97");
        }
    }

    @Test
    void aReportOfFilesRunsJavaWithC1AndTheSerialGcFromTheCallersDirectory() throws Exception {
        Path cwd = Files.createDirectories(tmp.resolve("elsewhere"));
        List<String> args = launch(cwd, "report", "trace.txt");
        assertEquals(List.of("-Xshare:auto", "-Xlog:cds=off", "-XX:SharedArchiveFile=" + home.resolve("target/droptop-report.jsa"),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData", "-Ddroptop.home=" + home, "-jar",
                home.resolve("target/droptop-run.jar").toString(), "report", "trace.txt"), args);
        assertEquals(cwd.toString(), Files.readString(calls.resolve("java.cwd")).strip());
        assertNothingForbiddenRan();
    }

    @Test
    void standardInputAndLongRunningCommandsKeepTheDefaultJit() throws Exception {
        assertFalse(launch(tmp, "report", "-").contains("-XX:TieredStopAtLevel=1"));
        assertFalse(launch(tmp, "diff", "a.txt", "-").contains("-XX:TieredStopAtLevel=1"));
        assertFalse(launch(tmp, "live").contains("-XX:TieredStopAtLevel=1"));
        assertFalse(launch(tmp, "capture", "-o", "x.jsonl").contains("-XX:TieredStopAtLevel=1"));
        assertTrue(launch(tmp, "report", "-o", "-", "trace.txt").contains("-XX:TieredStopAtLevel=1"),
                "-o - is standard output, not input");
        List<String> version = launch(tmp, "--version");
        assertTrue(version.contains("-XX:+UseSerialGC"), version.toString());
        assertTrue(version.contains("-XX:SharedArchiveFile=" + home.resolve("target/droptop-report.jsa")),
                "a lone --version, answered without picocli, maps report's archive: " + version);
        List<String> help = launch(tmp, "--help");
        assertTrue(help.contains("-XX:SharedArchiveFile=" + home.resolve("target/droptop-run.jsa")),
                "every other command maps the archive with picocli in it: " + help);
        assertNothingForbiddenRan();
    }

    /** JAVA_OPTS comes last, split into words as written: a glob-like option is not expanded or dropped. */
    @Test
    void javaOptsPassThroughAsWritten() throws Exception {
        Files.writeString(tmp.resolve("-Xlog:gc-file"), "");
        List<String> args = launch(tmp, Map.of("JAVA_OPTS", "-Xmx256m -Xlog:gc*"), "report", "trace.txt");
        int at = args.indexOf("-Xmx256m");
        assertTrue(at > args.indexOf("-XX:+UseSerialGC"), args.toString());
        assertEquals("-Xlog:gc*", args.get(at + 1), args.toString());
    }

    /** The rebuild path (then the run copy and the archive are made again) may use any tool. */
    @Test
    void aSourceNewerThanTheJarRebuildsFirst() throws Exception {
        for (String tool : FORBIDDEN) {
            Files.delete(fakes.resolve(tool));
        }
        Path source = home.resolve("src/main/java/dev/droptop/A.java");
        age(source, System.currentTimeMillis() + 5000);
        List<String> args = launch(tmp, "report", "trace.txt");
        assertTrue(Files.exists(calls.resolve("mvn")), "mvn was not run for a source newer than the jar");
        assertEquals(List.of("report", "trace.txt"), args.subList(args.size() - 2, args.size()));
    }

    private List<String> launch(Path cwd, String... args) throws Exception {
        return launch(cwd, Map.of(), args);
    }

    private List<String> launch(Path cwd, Map<String, String> env, String... args) throws Exception {
        Files.deleteIfExists(calls.resolve("java.args"));
        List<String> cmd = new ArrayList<>(List.of("bash", home.resolve("bin/droptop").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true);
        pb.environment().put("PATH", fakes + ":/usr/bin:/bin");
        pb.environment().put("CALLS", calls.toString());
        pb.environment().put("DROPTOP_HOME", home.toString());
        pb.environment().remove("JAVA_OPTS");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "launcher did not end");
        assertEquals(0, p.exitValue(), out);
        return Files.readAllLines(calls.resolve("java.args"));
    }

    private void assertNothingForbiddenRan() {
        for (String tool : FORBIDDEN) {
            assertFalse(Files.exists(calls.resolve(tool)), tool + " ran on the way to java");
        }
    }

    private void script(String name, String body) throws IOException {
        Path p = fakes.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        executable(p);
    }

    private static void executable(Path p) throws IOException {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static void touch(Path p, long millis) throws IOException {
        Files.write(p, new byte[0]);
        age(p, millis);
    }

    private static void age(Path p, long millis) throws IOException {
        Files.setLastModifiedTime(p, FileTime.fromMillis(millis));
    }
}
