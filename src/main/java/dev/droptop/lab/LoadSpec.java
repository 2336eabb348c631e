package dev.droptop.lab;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * How to drive one load: session i uses inside host {@code i % hosts} and source port
 * {@code firstPort + i / hosts}, so the S = H × P sessions use distinct (address, port) pairs.
 *
 * @param target where to connect or send
 * @param maxInFlight sessions open at once
 * @param timeoutNanos a session not answered by then counts as a timeout
 * @param durationNanos the load stops starting sessions after this, and gives up on the rest one
 *     timeout later
 * @param rate sessions started per second, evenly paced (0: as fast as {@code maxInFlight} allows);
 *     a paced load that cannot keep up leaves sessions unattempted, and they count as failed
 */
public record LoadSpec(InetSocketAddress target, int hosts, int portsPerHost, int firstPort, int maxInFlight,
        long timeoutNanos, long durationNanos, double rate) {

    public LoadSpec(InetSocketAddress target, int hosts, int portsPerHost, int firstPort, int maxInFlight,
                    long timeoutNanos, long durationNanos) {
        this(target, hosts, portsPerHost, firstPort, maxInFlight, timeoutNanos, durationNanos, 0);
    }

    /** Sessions a paced load means to start: rate × duration, at most all sessions (all when unpaced). */
    public long intended() {
        if (rate <= 0) {
            return sessions();
        }
        return Math.min(sessions(), Math.max(1, (long) Math.ceil(rate * durationNanos / 1e9)));
    }

    /** This spec, unpaced, starting sessions for at most {@code nanos}. */
    public LoadSpec withDuration(long nanos) {
        return new LoadSpec(target, hosts, portsPerHost, firstPort, maxInFlight, timeoutNanos, nanos, 0);
    }

    /** This spec paced at {@code perSecond} for {@code nanos}. */
    public LoadSpec paced(double perSecond, long nanos) {
        return new LoadSpec(target, hosts, portsPerHost, firstPort, maxInFlight, timeoutNanos, nanos, perSecond);
    }
    /** First source port of a measured load; warm-up loads use ports below it. */
    public static final int FIRST_PORT = 10_000;

    public long sessions() {
        return (long) hosts * portsPerHost;
    }

    InetSocketAddress source(long i) {
        InetAddress a = Topology.inside((int) (i % hosts));
        return new InetSocketAddress(a, firstPort + (int) (i / hosts));
    }
}
