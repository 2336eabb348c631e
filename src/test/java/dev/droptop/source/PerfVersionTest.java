package dev.droptop.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * perf's version and what perf record does by it: PERF_RECORD_FINISHED_INIT (6.0+), the record a perf
 * run waits for before it counts, and {@code --no-bpf-event} (5.1+).
 */
class PerfVersionTest {
    @Test
    void headerVersionsAndVersionLinesParse() {
        assertEquals(new PerfVersion(6, 1), PerfVersion.parse("6.1.187"));
        assertEquals(new PerfVersion(6, 1), PerfVersion.parse("perf version 6.1.187"));
        assertEquals(new PerfVersion(4, 19), PerfVersion.parse("4.19.0-27-amd64"));
        assertEquals(new PerfVersion(10, 2), PerfVersion.parse("10.2.0-rc1"));
        assertNull(PerfVersion.parse("99999999999.1"));
        assertNull(PerfVersion.parse("perf"));
        assertNull(PerfVersion.parse("WARNING: perf not found for kernel 6.18"));
        assertNull(PerfVersion.parse(""));
        assertNull(PerfVersion.parse(null));
    }

    @Test
    void perf6AndLaterWriteFinishedInit() {
        assertTrue(PerfRun.writesFinishedInit("6.1.187"));
        assertTrue(PerfRun.writesFinishedInit("6.0"));
        assertTrue(PerfRun.writesFinishedInit("10.2.0-rc1"));
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

    @Test
    void noBpfEventFromPerf51AndNotForAnUnreadableLine() {
        assertTrue(PerfBackend.noBpfEvent("perf version 6.1.187"));
        assertTrue(PerfBackend.noBpfEvent("perf version 5.1.0"));
        assertTrue(PerfBackend.noBpfEvent("perf version 10.0"));
        assertFalse(PerfBackend.noBpfEvent("perf version 5.0.21"));
        assertFalse(PerfBackend.noBpfEvent("perf version 4.19.0-27-amd64"));
        assertFalse(PerfBackend.noBpfEvent("perf"));
        assertFalse(PerfBackend.noBpfEvent("WARNING: perf not found for kernel 6.18"));
    }
}
