package dev.droptop.lab;

import dev.droptop.model.DropKey;
import dev.droptop.model.Snapshot;
import dev.droptop.model.SystemState;
import dev.droptop.source.Backend;
import dev.droptop.source.LiveSession;
import dev.droptop.system.Netns;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code lab search}: runs {@link RateSearch} for a scenario with trials in the lab. CPS trials reset
 * state as CSIT does: each builds fresh namespaces and offers min(S, rate × duration) sessions at the
 * rate. TPUT keeps one topology for the search and ramps up all S sessions before each trial (one
 * request and reply each), then offers packets at the rate on those sessions. One drop capture runs
 * for the whole search; each trial keeps its own drops (the difference of the counts) and the nat
 * namespace's conntrack state.
 */
public final class LabSearch implements AutoCloseable {
    private static final long SETTLE_MILLIS = 1_100;
    private static final int IPV4 = 0x0800;
    /** A ramp-up sets up all sessions unpaced, for at most this long. */
    private static final long RAMP_UP_NANOS = 120_000_000_000L;
    /** Sessions a ramp-up keeps in flight: unpaced bursts of thousands overflow the server's socket buffer. */
    private static final int RAMP_UP_IN_FLIGHT = 200;
    private final LabRun.Options options;
    private final Stop stop;
    private final LiveSession capture;
    private volatile String status = "";
    private volatile ConntrackWatch watching;
    private volatile LoadProgress progress = new LoadProgress("", 0, 0, 0);
    private boolean warm;
    private volatile CpsClient running;

    /** What the screen shows of the running search: the scenario and trial, the rate offered. */
    public record LoadProgress(String what, int trial, double rate, double lastLoss) {
    }

    /** A scenario's search: the twin's is beside it in {@link SearchReport}. */
    public record Outcome(Scenario scenario, RateSearch.Result<SearchTrial> result, double trialSeconds,
                          RateSearch.Config config) {
    }

    /** @param stacks capture call chains too (the screen shows them) */
    public LabSearch(LabRun.Options options, Stop stop, boolean stacks) throws IOException {
        this.options = options;
        this.stop = stop;
        this.capture = LabRun.startCapture(options.backend(), new Backend.Options(stacks, LabRun.INTERVAL_NANOS));
    }

    /**
     * The load in one line for a screen: test, trial, offered rate, achieved rate, failures so far,
     * and the nat namespace's conntrack sessions.
     */
    public String loadLine() {
        LoadProgress p = progress;
        CpsClient c = running;
        StringBuilder b = new StringBuilder(status);
        if (c != null) {
            CpsClient.Live l = c.live();
            b.append(String.format(java.util.Locale.ROOT, " | ok %.0f/s failed %d", l.seconds() > 0
                    ? l.succeeded() / l.seconds() : 0, l.failed()));
        } else if (p.trial() > 0) {
            b.append(String.format(java.util.Locale.ROOT, " | last loss %.3f%%", 100 * p.lastLoss()));
        }
        Map<String, Long> ct = conntrackNow();
        Long count = ct.get(SystemState.CT_COUNT);
        if (count != null) {
            b.append(" | sessions ").append(count);
        }
        return b.toString();
    }

    /** The search's drops so far (whole capture), for a live view. */
    public Snapshot snapshot() {
        return capture == null ? Snapshot.empty(LabRun.INTERVAL_NANOS) : capture.snapshot();
    }

    public Map<String, Long> conntrackNow() {
        ConntrackWatch w = watching;
        return w == null ? Map.of() : w.latest();
    }

    public String status() {
        return status;
    }

    public LoadProgress progress() {
        return progress;
    }

    /** "udp-cps nat44ed" for the header (the full test name is in the table). */
    private static String shortName(Scenario s) {
        return s.profile().label() + " " + (s.nat() ? "nat44ed" : "ip4base") + " s" + s.sessions();
    }

    /** Searches {@code s} with trials of {@code trialNanos}. */
    public Outcome search(Scenario s, RateSearch.Config config, long trialNanos) throws IOException {
        RateSearch search = new RateSearch(config);
        RateSearch.Result<SearchTrial> r;
        if (s.profile().tput()) {
            try (Tput t = new Tput(s)) {
                r = search.run((n, rate) -> t.trial(n, rate, trialNanos), stop::requested);
            }
        } else {
            r = search.run((n, rate) -> cpsTrial(s, n, rate, trialNanos), stop::requested);
        }
        return new Outcome(s, r, trialNanos / 1e9, config);
    }

    private RateSearch.Trial<SearchTrial> cpsTrial(Scenario s, int n, double rate, long trialNanos) throws IOException {
        if (stop.requested()) {
            return null;
        }
        String tag = (s.nat() ? "n" : "b") + n;
        try (Topology topo = Topology.build(tag, s.nat(), options.outsideFor(s));
                Server server = Server.start(topo.server(), new InetSocketAddress(topo.serverAddress(), Topology.PORT),
                        s.profile())) {
            LoadSpec spec = spec(topo, s).paced(rate, trialNanos);
            warmUp(topo, s);
            status = "trial " + n + " " + shortName(s) + " offered " + (long) rate + "/s";
            progress = new LoadProgress(s.name(), n, rate, progress.lastLoss());
            Map<DropKey, Long> before = counts();
            LoadResult load;
            List<Map<String, Long>> samples;
            try (ConntrackWatch watch = ConntrackWatch.start(topo.nat(), 200)) {
                watching = watch;
                CpsClient c = client(s, spec);
                running = c;
                load = Netns.call(topo.client(), () -> c.run(stop));
                running = null;
                sleep(SETTLE_MILLIS);
                samples = watch.finish();
                watching = null;
            }
            if (stop.requested()) {
                return null; // an interrupted trial measures nothing
            }
            SearchTrial t = record("sessions", load.intended(), load.succeeded(), load.unattempted(),
                    load.elapsedNanos() / 1e9, before, inodes(topo), samples, -1);
            progress = new LoadProgress(s.name(), n, rate, load.lossRatio());
            return new RateSearch.Trial<>(n, rate, load.lossRatio(), t);
        }
    }

    /** The TPUT search's topology and server (and for TCP the open sessions), kept for all its trials. */
    private final class Tput implements AutoCloseable {
        private final Scenario s;
        private final Topology topo;
        private Server server;
        private TcpTput tcp;

        Tput(Scenario s) throws IOException {
            this.s = s;
            this.topo = Topology.build(s.nat() ? "tput" : "tputb", s.nat(), options.outsideFor(s));
            try {
                if (s.profile().tcp()) {
                    tcp = TcpTput.start(topo, s.sessions());
                } else {
                    server = Server.start(topo.server(), new InetSocketAddress(topo.serverAddress(), Topology.PORT),
                            Scenario.Profile.UDP_CPS);
                }
            } catch (IOException | RuntimeException e) {
                topo.close();
                throw e;
            }
        }

        RateSearch.Trial<SearchTrial> trial(int n, double rate, long trialNanos) throws IOException {
            if (stop.requested()) {
                return null;
            }
            warmUp(topo, s);
            status = "ramp-up " + shortName(s) + " before trial " + n;
            progress = new LoadProgress(s.name() + " ramp-up", n, 0, progress.lastLoss());
            LoadSpec all = spec(topo, s).withDuration(RAMP_UP_NANOS);
            LoadSpec ramp = new LoadSpec(all.target(), all.hosts(), all.portsPerHost(), all.firstPort(),
                    Math.min(RAMP_UP_IN_FLIGHT, all.maxInFlight()), all.timeoutNanos(), RAMP_UP_NANOS);
            long rampedUp = tcp != null ? tcp.rampUp(topo, ramp, stop, RAMP_UP_NANOS)
                    : Netns.call(topo.client(), () -> new UdpClient(ramp).run(stop)).succeeded();
            status = "trial " + n + " " + shortName(s) + " offered " + (long) rate + " packets/s";
            progress = new LoadProgress(s.name(), n, rate, progress.lastLoss());
            Map<DropKey, Long> before = counts();
            long intended;
            long unattempted;
            long received;
            double seconds;
            List<Map<String, Long>> samples;
            try (ConntrackWatch watch = ConntrackWatch.start(topo.nat(), 200)) {
                watching = watch;
                if (tcp != null) {
                    long served = tcp.serverMessages();
                    TcpTput.Counts c = tcp.trial(rate, trialNanos, options.timeoutNanos(), stop);
                    intended = 2 * c.intended();
                    unattempted = 2 * (c.intended() - c.written());
                    received = tcp.serverMessages() - served + c.replies();
                    seconds = c.seconds();
                } else {
                    long served = server.served();
                    UdpTputClient client = new UdpTputClient(all.paced(rate, trialNanos));
                    running = client;
                    LoadResult load = Netns.call(topo.client(), () -> client.run(stop));
                    running = null;
                    intended = load.intended() * UdpTputClient.PER_TRANSACTION;
                    unattempted = load.unattempted() * UdpTputClient.PER_TRANSACTION;
                    received = server.served() - served + client.replies();
                    seconds = load.elapsedNanos() / 1e9;
                }
                sleep(SETTLE_MILLIS);
                samples = watch.finish();
                watching = null;
            }
            if (stop.requested()) {
                return null; // an interrupted trial measures nothing
            }
            long succeeded = Math.min(intended, received);
            double loss = intended == 0 ? 0 : (double) (intended - succeeded) / intended;
            SearchTrial t = record("packets", intended, succeeded, unattempted, seconds, before, inodes(topo), samples,
                    rampedUp);
            progress = new LoadProgress(s.name(), n, rate, loss);
            return new RateSearch.Trial<>(n, rate, loss, t);
        }

        @Override
        public void close() throws IOException {
            try {
                if (server != null) {
                    server.close();
                }
                if (tcp != null) {
                    tcp.close();
                }
            } finally {
                topo.close();
            }
        }
    }

    private LoadSpec spec(Topology topo, Scenario s) throws IOException {
        return new LoadSpec(new InetSocketAddress(topo.target(), Topology.PORT), s.hosts(), s.portsPerHost(),
                LoadSpec.FIRST_PORT, options.maxInFlight(), options.timeoutNanos(), options.durationNanos());
    }

    private CpsClient client(Scenario s, LoadSpec spec) {
        return s.profile().tcp() ? new TcpClient(spec) : new UdpClient(spec);
    }

    /** Once per search: JIT warm-up inside the client namespace only (as {@link LabRun} does). */
    private void warmUp(Topology topo, Scenario s) throws IOException {
        if (warm) {
            return;
        }
        status = s.name() + ": warming up";
        InetSocketAddress at = new InetSocketAddress(Topology.clientAddress(), Topology.PORT + 1);
        Scenario.Profile p = s.profile().tcp() ? Scenario.Profile.TCP_CPS : Scenario.Profile.UDP_CPS;
        try (Server w = Server.start(topo.client(), at, p)) {
            int ports = (int) Math.min(LoadSpec.FIRST_PORT - 2_000, (LabRun.WARM_UP + s.hosts() - 1) / s.hosts());
            LoadSpec spec = new LoadSpec(at, s.hosts(), ports, 2_000, Math.min(500, options.maxInFlight()),
                    options.timeoutNanos(), 2_000_000_000L);
            Netns.call(topo.client(), () -> (p == Scenario.Profile.TCP_CPS ? new TcpClient(spec) : new UdpClient(spec))
                    .run(stop));
        }
        warm = true;
    }

    private SearchTrial record(String unit, long intended, long succeeded, long unattempted, double seconds,
                               Map<DropKey, Long> before, Set<Long> labNetns, List<Map<String, Long>> samples,
                               long rampUp) {
        Map<DropKey, Long> after = counts();
        boolean namespaced = after.keySet().stream().anyMatch(k -> k.netns() != 0);
        Map<String, long[]> byLocation = new HashMap<>();
        Map<String, String[]> names = new HashMap<>();
        long total = 0;
        for (Map.Entry<DropKey, Long> e : after.entrySet()) {
            DropKey k = e.getKey();
            long d = e.getValue() - before.getOrDefault(k, 0L);
            if (d <= 0 || namespaced && !labNetns.contains(k.netns()) || k.protocol() != IPV4 && k.protocol() >= 0) {
                continue; // not the lab's namespaces, or not IPv4 (IPv6 multicast on the veths is not the load)
            }
            String id = k.location() + "\u0000" + k.reason();
            byLocation.computeIfAbsent(id, x -> new long[1])[0] += d;
            names.putIfAbsent(id, new String[] {k.location(), k.symbol(), k.reason()});
            total += d;
        }
        List<SearchTrial.Drop> drops = new ArrayList<>();
        byLocation.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0])).limit(3)
                .forEach(e -> {
                    String[] n = names.get(e.getKey());
                    drops.add(new SearchTrial.Drop(n[0], n[1], n[2], e.getValue()[0]));
                });
        SystemState st = SystemState.fromCounters(samples);
        return new SearchTrial(unit, intended, succeeded, unattempted, seconds, drops, total,
                capture == null ? "none" : namespaced ? "lab namespaces" : "whole system",
                st.peak(SystemState.CT_COUNT), st.latest(SystemState.CT_MAX), st.rise(SystemState.CT_STAT + "drop"),
                rampUp);
    }

    private Map<DropKey, Long> counts() {
        Map<DropKey, Long> m = new HashMap<>();
        if (capture != null) {
            for (Snapshot.Row r : capture.snapshot().rows()) {
                m.merge(r.key(), r.total(), Long::sum);
            }
        }
        return m;
    }

    /** The namespace inodes of the topology (what the bpftrace backend records as netns). */
    private static Set<Long> inodes(Topology t) {
        Set<Long> out = new HashSet<>();
        for (String ns : List.of(t.client(), t.nat(), t.server())) {
            try {
                out.add(((Number) Files.getAttribute(Netns.RUN_NETNS.resolve(ns), "unix:ino")).longValue());
            } catch (IOException | UnsupportedOperationException e) {
                // unknown: drops in it are not attributed
            }
        }
        return out;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (capture != null) {
            capture.close();
        }
    }
}
