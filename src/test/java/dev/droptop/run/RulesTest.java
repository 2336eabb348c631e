package dev.droptop.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.droptop.testing.KernelTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The shipped alerting rules pass promtool's checks and their unit tests (deploy/prometheus). */
class RulesTest {
    @Test
    void promtoolChecksAndTestsTheRules() throws Exception {
        KernelTest.assumeTool("promtool", "prometheus");
        Path dir = KernelTest.projectDir().resolve("deploy/prometheus");
        assertEquals(0, promtool(dir, "check", "rules", "droptop.rules.yml"));
        assertEquals(0, promtool(dir, "test", "rules", "droptop.rules.test.yml"));
    }

    private static int promtool(Path dir, String... args) throws Exception {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("promtool"));
        cmd.addAll(java.util.List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("promtool did not finish in 120 s");
        }
        if (p.exitValue() != 0) {
            System.err.println(out);
        }
        return p.exitValue();
    }
}
