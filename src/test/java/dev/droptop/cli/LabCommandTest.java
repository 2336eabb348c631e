package dev.droptop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Bad usage of {@code lab}: one line, exit 2, before anything is built. */
class LabCommandTest {
    private static void usage(String expected, String... args) throws IOException {
        CliRunner.Result r = CliRunner.run(args);
        assertEquals(Main.USAGE, r.code(), r.stderr());
        assertTrue(r.stderr().contains(expected), r.stderr());
        assertEquals(1, r.stderr().strip().lines().filter(l -> !l.startsWith("Try ")).count(), r.stderr());
    }

    @Test
    void badUsageIsOneLineAndExit2() throws IOException {
        usage("s64000 is not h1024 x p63", "lab", "run", "ethip4tcp-nat44ed-h1024-p63-s64000-cps");
        usage("not a lab scenario name", "lab", "run", "nat");
        usage("profile must be tcp-cps, udp-cps, tcp-tput or udp-tput", "lab", "nat", "--profile", "http");
        usage("--compare takes ip4base", "lab", "nat", "--compare", "nat44");
        usage("--format must be text or json", "lab", "nat", "--format", "xml");
        usage("--duration must be", "lab", "nat", "--duration", "10m");
        usage("--tui needs a terminal", "lab", "nat", "--tui");
        usage("needs a subcommand", "lab");
        usage("--flow-cap caps the flows counted: add --flows", "lab", "nat", "--flow-cap", "100");
        usage("--flow-cap must be 1-1000000, not 0", "lab", "run", "ethip4tcp-nat44ed-h64-p63-s4032-cps", "--flows",
                "--flow-cap", "0");
        usage("--flows counts the captured drops: leave out --no-capture", "lab", "nat", "--flows", "--no-capture");
        usage("Unknown option: '--flows'", "lab", "search", "ethip4tcp-nat44ed-h64-p63-s4032-cps", "--flows");
    }
}
