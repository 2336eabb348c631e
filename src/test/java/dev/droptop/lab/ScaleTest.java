package dev.droptop.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ScaleTest {
    @Test
    void poolGivesEachOutsideAddressAtMostHalfItsPorts() {
        assertEquals(1, new Scale(4032).outsideAddresses());
        assertEquals(1, new Scale(32256).outsideAddresses());
        assertEquals(2, new Scale(32257).outsideAddresses());
        assertEquals(2, new Scale(64512).outsideAddresses());
        assertEquals(8, new Scale(258048).outsideAddresses());
        assertEquals(32, new Scale(1032192).outsideAddresses());
    }

    @Test
    void conntrackLimitsCoverTheSessions() {
        Scale big = new Scale(1032192);
        assertEquals(1290240, big.conntrackMax());
        assertEquals(2097152, big.buckets());
        assertTrue(big.bytes() > 256L * 1032192, Long.toString(big.bytes()));
        assertEquals(65536, new Scale(100).conntrackMax());
        assertEquals(65536, new Scale(100).buckets());
        assertEquals(131072, new Scale(64512).buckets());
    }

    @Test
    void largerScalesAreRefusedWithWhatTheyNeed() {
        new Scale(1032192).check();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Scale(4128768).check());
        assertTrue(e.getMessage().contains("s4128768 is above the lab's largest scale s1032192"), e.getMessage());
        assertTrue(e.getMessage().contains("MiB of conntrack"), e.getMessage());
        assertTrue(e.getMessage().contains("s a trial"), e.getMessage());
        IllegalArgumentException p = assertThrows(IllegalArgumentException.class,
                () -> Scenario.parse("ethip4udp-nat44ed-h65536-p63-s4128768-cps"));
        assertTrue(p.getMessage().contains("1072 MiB"), p.getMessage());
        assertEquals("ethip4udp-nat44ed-h16384-p63-s1032192-tput",
                Scenario.parse("ethip4udp-nat44ed-h16384-p63-s1032192-tput").name());
    }
}
