package dev.droptop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** live, droptop alone and replay refuse to run without a terminal, pointing at capture/report. */
class TuiCommandTest {
    @Test
    void liveWithoutTerminalPointsToCapture() throws Exception {
        for (String[] args : new String[][] {{"live"}, {}}) {
            CliRunner.Result r = CliRunner.run(args);
            assertEquals(Main.USAGE, r.code());
            assertEquals("droptop: live needs a terminal; to capture without one use: droptop capture -o FILE\n",
                    r.stderr());
        }
    }

    @Test
    void replayWithoutTerminalPointsToReport() throws Exception {
        CliRunner.Result r = CliRunner.run("replay", "samples/perf/nat-conntrack-full.perf.txt");
        assertEquals(Main.USAGE, r.code());
        assertTrue(r.stderr().contains("droptop report samples/perf/nat-conntrack-full.perf.txt"), r.stderr());
    }

    @Test
    void badSpeedIsAUsageError() throws Exception {
        CliRunner.Result r = CliRunner.run("replay", "--speed", "3", "samples/perf/nat-conntrack-full.perf.txt");
        assertEquals(Main.USAGE, r.code());
        assertEquals("droptop: --speed must be 1, 2, 10 or max, not 3\n", r.stderr());
    }
}
