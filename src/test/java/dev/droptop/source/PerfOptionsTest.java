package dev.droptop.source;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** perf record's options that depend on its version: --no-bpf-event came with perf 5.1. */
class PerfOptionsTest {
    @Test
    void noBpfEventFromPerf51() {
        assertTrue(PerfBackend.noBpfEvent("perf version 6.1.187"));
        assertTrue(PerfBackend.noBpfEvent("perf version 5.1.0"));
        assertTrue(PerfBackend.noBpfEvent("perf version 10.0"));
        assertFalse(PerfBackend.noBpfEvent("perf version 5.0.21"));
        assertFalse(PerfBackend.noBpfEvent("perf version 4.19.0-27-amd64"));
    }

    @Test
    void anUnknownVersionLineKeepsPerfsDefaults() {
        assertFalse(PerfBackend.noBpfEvent("perf"));
        assertFalse(PerfBackend.noBpfEvent("WARNING: perf not found for kernel 6.18"));
        assertFalse(PerfBackend.noBpfEvent(""));
    }
}
