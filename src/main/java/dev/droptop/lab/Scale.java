package dev.droptop.lab;

import java.util.Locale;

/**
 * What a scenario of S sessions needs here: the NAT's outside address pool, nf_conntrack_max and
 * buckets for the run, and the memory and time it costs. CSIT's NAT44ed gives each outside address
 * 64512 ports (1024-65535) and shares one address among 1024 inside hosts × 63 ports. Linux does not
 * allocate ports deterministically as VPP does: on a clash it tries about 240 random ports, which
 * fails often once an address' ports are nearly all taken. So the pool gives each outside address at
 * most half its ports ({@link #SESSIONS_PER_OUTSIDE}): 2 addresses for s64512, 8 for s258048, 32 for
 * s1032192.
 */
public record Scale(long sessions) {
    /** Ports an outside address has for NAT (1024-65535), as in the methodology. */
    public static final long PORTS_PER_OUTSIDE = 64_512;
    /** Sessions the pool puts on one outside address (half its ports). */
    public static final long SESSIONS_PER_OUTSIDE = PORTS_PER_OUTSIDE / 2;
    /** Largest scale the lab runs here: CSIT's h16384-p63-s1032192. */
    public static final long MAX_SESSIONS = 1_032_192;
    /** nf_conntrack's slab object size on this kernel (/proc/slabinfo: nf_conntrack 256). */
    public static final long CONNTRACK_ENTRY_BYTES = 256;
    /** Sessions per second the lab's generator reaches through the NAT here: 6k-13k UDP CPS on the shared VM (README). */
    public static final long MEASURED_CPS = 10_000;

    public Scale {
        if (sessions < 1) {
            throw new IllegalArgumentException("sessions must be at least 1");
        }
    }

    /** Outside addresses in the NAT's pool. */
    public int outsideAddresses() {
        return (int) ((sessions + SESSIONS_PER_OUTSIDE - 1) / SESSIONS_PER_OUTSIDE);
    }

    /** nf_conntrack_max the run needs: the sessions plus a quarter (warm-up, stray entries), at least 65536. */
    public long conntrackMax() {
        return Math.max(65_536, sessions + sessions / 4);
    }

    /** Hash buckets for {@link #conntrackMax()}: the next power of two (one entry per bucket on average). */
    public long buckets() {
        return Long.highestOneBit(conntrackMax() - 1) << 1;
    }

    /** Memory the conntrack entries and buckets take when all sessions are up. */
    public long bytes() {
        return sessions * CONNTRACK_ENTRY_BYTES + buckets() * 8;
    }

    /** Seconds one pass over all sessions takes at {@link #MEASURED_CPS}. */
    public double secondsPerPass() {
        return (double) sessions / MEASURED_CPS;
    }

    /** Refuses scales above {@link #MAX_SESSIONS} with what they would need. */
    public void check() {
        if (sessions > MAX_SESSIONS) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "s%d is above the lab's largest scale "
                    + "s%d: it would need %d MiB of conntrack (%d B an entry, %d buckets), nf_conntrack_max %d, "
                    + "%d outside addresses, and %.0f s a trial at the %d sessions/s measured here", sessions,
                    MAX_SESSIONS, bytes() >> 20, CONNTRACK_ENTRY_BYTES, buckets(), conntrackMax(), outsideAddresses(),
                    secondsPerPass(), MEASURED_CPS));
        }
    }
}
