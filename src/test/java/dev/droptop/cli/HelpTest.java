package dev.droptop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every {@code --help} prints its usage and nothing else on stderr: a bare {@code %} in a description is a
 * format specifier to picocli, which then prints "[picocli WARN] Could not format ..." and shows
 * the raw text (it did for diff and profile).
 */
class HelpTest {
    @ParameterizedTest
    @ValueSource(strings = {"", "live", "capture", "replay", "report", "diff", "profile", "conntrack", "lab",
            "doctor", "bench"})
    void helpIsCleanForEveryCommand(String command) throws IOException {
        CliRunner.Result r = command.isEmpty() ? CliRunner.run("--help") : CliRunner.run(command, "--help");
        assertEquals(0, r.code(), r.stderr());
        assertTrue(r.stdout().startsWith("Usage: droptop"), r.stdout());
        assertFalse(r.stdout().contains("%n"), "unreplaced %n: " + r.stdout());
        assertEquals("", r.stderr());
    }
}
