package dev.droptop.source;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.droptop.testing.KernelTest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code kill -9} of a JVM running the bpftrace backend leaves no bpftrace behind: no shutdown hook
 * runs then, only the parent-death signal that {@code setpriv --pdeathsig KILL} set on the child.
 * The interval is 20 s and the check ends 1.5 s after the kill, so bpftrace cannot die of SIGPIPE
 * on its next write instead (without setpriv it did: it outlived the JVM until its next print).
 */
@Tag("root")
class KillNineTest {
    @Test
    void bpftraceDiesWithItsJvm() throws Exception {
        KernelTest.assumeRootAndNetns();
        KernelTest.assumeTool("bpftrace", "bpftrace");
        KernelTest.assumeTool("setpriv", "util-linux");
        Path dir = KernelTest.projectDir();
        String java = ProcessHandle.current().info().command().orElse("java");
        Process jvm = new ProcessBuilder(java, "-cp", dir.resolve("target/classes") + ":" + dir.resolve("target/test-classes"),
                "dev.droptop.source.BackendHost", dir.toString(), "20000").redirectErrorStream(true).start();
        long child;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream()))) {
            String line = out.readLine();
            assertTrue(line != null && line.startsWith("child "), "host said: " + line);
            child = Long.parseLong(line.substring(6).trim());
            dev.droptop.testing.Await.until("bpftrace " + child + " attached to the tracepoint", 30_000,
                    () -> LiveDrops.attached(child) || LiveDrops.gone(child));
            assertFalse(LiveDrops.gone(child), "bpftrace did not start");
            jvm.destroyForcibly();
            assertTrue(jvm.waitFor(5, TimeUnit.SECONDS));
        }
        long deadline = System.currentTimeMillis() + 1500;
        while (!LiveDrops.gone(child) && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(LiveDrops.gone(child), "bpftrace " + child + " outlived kill -9 of its JVM");
    }
}
