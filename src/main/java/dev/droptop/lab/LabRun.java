package dev.droptop.lab;

import dev.droptop.model.DropAggregator;
import dev.droptop.model.Snapshot;
import dev.droptop.source.Backend;
import dev.droptop.source.LiveSession;
import dev.droptop.system.Netns;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/**
 * Runs one scenario end to end: builds the topology, starts the server, starts the drop capture and
 * the conntrack sampler, drives the load from a thread in the client namespace, then stops and
 * removes everything (finally), whatever happened.
 */
public final class LabRun {
    static final long INTERVAL_NANOS = 500_000_000L;
    private static final long READY_NANOS = 10_000_000_000L;
    private static final long SETTLE_MILLIS = 600;
    static final int WARM_UP = 5_000;
    private final Options options;
    private final Stop stop;
    private volatile LiveSession live;
    private volatile ConntrackWatch watching;
    private volatile Snapshot last = Snapshot.empty(INTERVAL_NANOS);
    private volatile String current = "";
    private volatile CpsClient running;
    private final boolean stacks;

    /**
     * @param backend the capture backend (null: no capture)
     * @param durationNanos the load starts sessions for at most this long
     * @param maxInFlight sessions open at once
     * @param timeoutNanos a session unanswered after this is a failure
     * @param outside outside addresses in the NAT pool (0: sized from the scenario)
     * @param packets what the capture reads from the dropped packets ({@code --flows}: a backend that
     *     {@linkplain Backend#readsPackets reads packets}); {@link Backend.Packets#NONE} for counts only
     */
    public record Options(Backend backend, long durationNanos, int maxInFlight, long timeoutNanos, int outside,
                          Backend.Packets packets) {
        public Options {
            if (packets.any() && (backend == null || !backend.readsPackets())) {
                throw new IllegalArgumentException("flows need a backend that reads packets, not "
                        + (backend == null ? "no capture" : backend.name()));
            }
        }

        public Options(Backend backend, long durationNanos, int maxInFlight, long timeoutNanos, int outside) {
            this(backend, durationNanos, maxInFlight, timeoutNanos, outside, Backend.Packets.NONE);
        }

        public Options(Backend backend, long durationNanos, int maxInFlight, long timeoutNanos) {
            this(backend, durationNanos, maxInFlight, timeoutNanos, 0);
        }

        /** Outside addresses for {@code s}: the option when given, else sized from H×P ({@link Scale}). */
        public int outsideFor(Scenario s) {
            return outside > 0 ? outside : s.scale().outsideAddresses();
        }
    }

    public LabRun(Options options, Stop stop) {
        this(options, stop, false);
    }

    /**
     * @param stacks capture call chains too (the lab's screen shows them); not with flows, whose
     *     probe records no stacks
     */
    public LabRun(Options options, Stop stop, boolean stacks) {
        if (stacks && options.packets().any()) {
            throw new IllegalArgumentException("flows and stacks cannot be captured together");
        }
        this.options = options;
        this.stop = stop;
        this.stacks = stacks;
    }

    /** The load in one line for a screen: what runs, attempted, succeeded and failed so far, CPS. */
    public String loadLine() {
        CpsClient c = running;
        if (c == null) {
            return current;
        }
        CpsClient.Live l = c.live();
        return String.format(java.util.Locale.ROOT, "%s | attempted %d ok %d failed %d | %.0f CPS", current,
                l.attempted(), l.succeeded(), l.failed(), l.seconds() > 0 ? l.succeeded() / l.seconds() : 0);
    }

    /** Runs {@code s} in fresh namespaces tagged {@code tag} and returns what happened. */
    public ScenarioResult run(Scenario s, String tag) throws IOException {
        if (s.profile().tput()) {
            throw new IOException(s.name() + ": TPUT is measured by 'lab search' (ramp-up, then packets on the sessions)");
        }
        try (Topology topo = Topology.build(tag, s.nat(), options.outsideFor(s));
                Server server = Server.start(topo.server(), new InetSocketAddress(topo.serverAddress(), Topology.PORT),
                        s.profile())) {
            LoadSpec spec = new LoadSpec(new InetSocketAddress(topo.target(), Topology.PORT), s.hosts(),
                    s.portsPerHost(), LoadSpec.FIRST_PORT, options.maxInFlight(), options.timeoutNanos(),
                    options.durationNanos());
            current = s.name() + ": warming up";
            warmUp(topo, s);
            LiveSession capture = startCapture();
            live = capture;
            try (ConntrackWatch watch = ConntrackWatch.start(topo.nat(), 200)) {
                watching = watch;
                current = s.name() + ": " + s.sessions() + " sessions";
                LoadResult load = Netns.call(topo.client(), () -> drive(s, spec));
                sleep(SETTLE_MILLIS);
                List<Map<String, Long>> samples = watch.finish();
                watching = null;
                Snapshot drops = stopCapture(capture);
                last = drops;
                live = null;
                capture = null;
                current = s.name() + ": done";
                return new ScenarioResult(s, load, drops, samples, backendName(), server.served());
            } finally {
                if (capture != null) {
                    capture.close();
                }
            }
        }
    }

    /** The running scenario's drops so far (the last scenario's once it ended), for a live view. */
    public Snapshot snapshot() {
        LiveSession s = live;
        return s == null ? last : s.snapshot();
    }

    /** The nat namespace's latest conntrack counters while a scenario runs (empty otherwise). */
    public Map<String, Long> conntrackNow() {
        ConntrackWatch w = watching;
        return w == null ? Map.of() : w.latest();
    }

    /** What runs now, in a few words. */
    public String status() {
        return current;
    }

    /**
     * Runs {@link #WARM_UP} sessions of the same profile inside the client namespace only (a second
     * server on the client's own address, source ports below the measured ones), so the JIT has
     * compiled the generator and the server before the measured load; no packet reaches nat.
     */
    private void warmUp(Topology topo, Scenario s) throws IOException {
        InetSocketAddress at = new InetSocketAddress(Topology.clientAddress(), Topology.PORT + 1);
        try (Server warm = Server.start(topo.client(), at, s.profile())) {
            int ports = (int) Math.min(LoadSpec.FIRST_PORT - 2_000, (WARM_UP + s.hosts() - 1) / s.hosts());
            LoadSpec spec = new LoadSpec(at, s.hosts(), ports, 2_000, options.maxInFlight(), options.timeoutNanos(),
                    2_000_000_000L);
            Netns.call(topo.client(), () -> drive(s, spec));
        }
    }

    private LoadResult drive(Scenario s, LoadSpec spec) throws IOException {
        CpsClient c = s.profile() == Scenario.Profile.TCP_CPS ? new TcpClient(spec) : new UdpClient(spec);
        running = c;
        try {
            return c.run(stop);
        } finally {
            running = null;
        }
    }

    private String backendName() {
        return options.backend() == null ? "none" : options.backend().name();
    }

    /**
     * Starts the backend and waits until it counts (bpftrace: its first interval; perf: once perf record
     * has enabled its events), at most 10 s.
     */
    private LiveSession startCapture() throws IOException {
        return startCapture(options.backend(), new Backend.Options(stacks, INTERVAL_NANOS, options.packets()));
    }

    /** {@link #startCapture()} for a lab search too: null without a backend. */
    static LiveSession startCapture(Backend backend, Backend.Options options) throws IOException {
        if (backend == null) {
            return null;
        }
        LiveSession session = new LiveSession(backend, options, new DropAggregator(INTERVAL_NANOS));
        session.start();
        try {
            session.awaitCounting(READY_NANOS);
        } catch (IOException e) {
            session.close();
            throw new IOException("capture backend failed: " + session.running().failure(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return session;
    }

    private static Snapshot stopCapture(LiveSession session) {
        if (session == null) {
            return Snapshot.empty(INTERVAL_NANOS);
        }
        session.close();
        return session.snapshot();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
