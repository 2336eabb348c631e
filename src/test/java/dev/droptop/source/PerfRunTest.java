package dev.droptop.source;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which perf writes PERF_RECORD_FINISHED_INIT, the record a perf run waits for before it counts. */
class PerfRunTest {
    @Test
    void perf6AndLaterWriteFinishedInit() {
        assertTrue(PerfRun.writesFinishedInit("6.1.187"));
        assertTrue(PerfRun.writesFinishedInit("6.0"));
        assertTrue(PerfRun.writesFinishedInit("10.2.0-rc1"));
    }

    @Test
    void olderPerfDoesNot() {
        assertFalse(PerfRun.writesFinishedInit("5.15.131"));
        assertFalse(PerfRun.writesFinishedInit("5.19.0"));
        assertFalse(PerfRun.writesFinishedInit("4.19.0-27-amd64"));
    }

    @Test
    void anUnreadableVersionIsTakenToWriteIt() {
        // so the run waits for the record or a sample rather than guessing a time
        assertTrue(PerfRun.writesFinishedInit(""));
        assertTrue(PerfRun.writesFinishedInit("perf version x"));
        assertTrue(PerfRun.writesFinishedInit("99999999999.1"));
    }
}
