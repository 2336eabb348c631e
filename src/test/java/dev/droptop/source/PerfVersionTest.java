package dev.droptop.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

    @ParameterizedTest
    @CsvSource({"6.1.187, true", "6.0, true", "10.2.0-rc1, true", "5.15.131, false", "5.19.0, false",
        "4.19.0-27-amd64, false"})
    void perf6AndLaterWriteFinishedInit(String version, boolean writes) {
        assertEquals(writes, PerfRun.writesFinishedInit(version), version);
    }

    @Test
    void anUnreadableVersionIsTakenToWriteIt() {
        // so the run waits for the record or a sample rather than guessing a time
        assertTrue(PerfRun.writesFinishedInit(""));
        assertTrue(PerfRun.writesFinishedInit("perf version x"));
        assertTrue(PerfRun.writesFinishedInit("99999999999.1"));
    }

    @ParameterizedTest
    @CsvSource({"perf version 6.1.187, true", "perf version 5.1.0, true", "perf version 10.0, true",
        "perf version 5.0.21, false", "perf version 4.19.0-27-amd64, false", "perf, false",
        "WARNING: perf not found for kernel 6.18, false"})
    void noBpfEventFromPerf51AndNotForAnUnreadableLine(String line, boolean takes) {
        assertEquals(takes, PerfBackend.noBpfEvent(line), line);
    }
}
