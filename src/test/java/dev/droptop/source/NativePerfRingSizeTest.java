package dev.droptop.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class NativePerfRingSizeTest {
    @Test
    void ringsShrinkToStayWithinTheBudget() {
        assertEquals(4096, NativePerfBackend.ringPages(1));
        assertEquals(4096, NativePerfBackend.ringPages(2));
        assertEquals(4096, NativePerfBackend.ringPages(16));
        assertEquals(2048, NativePerfBackend.ringPages(32));
        assertEquals(1024, NativePerfBackend.ringPages(64));
        assertEquals(64, NativePerfBackend.ringPages(4096));
    }
}
