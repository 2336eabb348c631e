package dev.droptop.run;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.droptop.diagnose.Diagnoser;
import dev.droptop.diagnose.Finding;
import dev.droptop.model.Counters;
import dev.droptop.model.DropAggregator;
import dev.droptop.model.DropFilter;
import dev.droptop.model.NetnsNames;
import dev.droptop.model.SystemState;
import dev.droptop.source.Backend;
import dev.droptop.system.HostInfo;
import dev.droptop.system.NetnsResolver;
import dev.droptop.system.ProcFs;
import dev.droptop.system.SystemSampler;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * {@code droptop export}: runs a backend for as long as it is asked to, counts its drops in
 * {@link DropSeries} and serves them with conntrack gauges, findings and health over HTTP
 * ({@code /metrics}, {@code /ready}). Read-only: no endpoint changes anything.
 *
 * <p>Supervision: when the backend dies, one line goes to the log, {@code droptop_up} drops to 0, the
 * backend is started again after a backoff (1 s doubling to 60 s, back to 1 s after 5 minutes of
 * health) and {@code droptop_backend_restarts_total} counts it. Counters stay monotonic: every run feeds
 * the same {@link DropSeries}. {@link #stop()} (SIGTERM, SIGINT) ends {@link #run()}: backend closed
 * (child processes killed, tracefs instance removed), HTTP server stopped, threads ended.
 */
public final class ExportSession {
    private static final long MIN_BACKOFF = 1_000_000_000L;
    private static final long MAX_BACKOFF = 60_000_000_000L;
    private static final long HEALTHY_RESET = 300_000_000_000L;

    /** What a scrape reports, copied under the lock. */
    record State(List<DropSeries.Series> series, long lost, long seriesDropped, ConntrackSample conntrack,
                 List<Finding> findings, String version, String kernel, String backend, boolean up, long restarts) {
    }

    private final ExportOptions options;
    private final Backend backend;
    private final String version;
    private final String kernel;
    private final PrintStream log;
    private final DropSeries series;
    private final CountDownLatch stop = new CountDownLatch(1);
    private volatile boolean stopping;
    private volatile ConntrackSample conntrack = ConntrackSample.EMPTY;
    private volatile List<Finding> findings = List.of();
    private volatile long restarts;
    /** The backend while it runs, null between runs: ready once it counts. */
    private volatile Backend.Running current;
    private DropAggregator window;
    private dev.droptop.model.DropSink input;
    private HttpServer server;
    private ExecutorService pool;
    private Thread sampler;

    public ExportSession(ExportOptions options, Backend backend, NetnsNames names, String version, String kernel,
                         PrintStream log) {
        this.options = options;
        this.backend = backend;
        this.version = version;
        this.kernel = kernel;
        this.log = log;
        this.series = new DropSeries(names, options.labels(), options.maxSeries(), options.idleNanos(),
                System::nanoTime);
        this.window = new DropAggregator(series.symbols(), options.intervalNanos());
        series.tee(window);
        this.input = series;
        this.names = names;
    }

    private final NetnsNames names;

    /**
     * One {@code droptop export}: picks the backend, binds {@code options}' address ({@code listen} as
     * the user wrote it, for the error), checks {@code filter}, says where it listens, and serves until
     * SIGINT or SIGTERM.
     */
    public static void serve(ExportOptions options, DropFilter filter, String listen, PrintStream err)
            throws IOException, InterruptedException {
        Backend b = BackendChoice.choose(options.backend(), err);
        ExportSession session = new ExportSession(options, b, NetnsResolver.live(), Build.VERSION,
                HostInfo.kernelRelease(), err);
        session.filter(Inputs.checked(filter));
        InetSocketAddress bound;
        try {
            bound = session.listen();
        } catch (BindException e) {
            throw new UserError("cannot listen on " + listen + ": " + e.getMessage());
        }
        err.println("droptop: export listening on http://" + bound.getHostString() + ":" + bound.getPort()
                + "/metrics (backend " + b.name() + ")");
        err.flush();
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> session.stop());
            } catch (IllegalArgumentException e) {
                // not available here
            }
        }
        session.run();
        err.println("droptop: export stopped");
    }

    /** Keeps only the drops {@code filter} passes (call before {@link #run()}). */
    public void filter(DropFilter filter) {
        this.input = filter.wrap(series, names);
    }

    /**
     * Binds the HTTP server (before tracing, so a taken port fails fast) and returns its address.
     * Requests are bounded by the JDK server: 30 s to read a request, 30 s to answer, 100 headers.
     */
    public InetSocketAddress listen() throws IOException {
        System.setProperty("sun.net.httpserver.maxReqTime", "30");
        System.setProperty("sun.net.httpserver.maxRspTime", "30");
        System.setProperty("sun.net.httpserver.maxReqHeaders", "100");
        System.setProperty("sun.net.httpserver.idleInterval", "30");
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(new ExportMetrics(this));
        server = HttpServer.create(new InetSocketAddress(options.host(), options.port()), 16);
        pool = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "droptop-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        MetricsHandler metrics = new MetricsHandler(registry);
        server.createContext("/metrics", readOnly(metrics));
        server.createContext("/ready", readOnly(ex -> text(ex, ready() ? 200 : 503,
                ready() ? "ready\n" : "not ready: backend " + backend.name() + " not attached yet\n")));
        server.createContext("/", readOnly(ex -> text(ex, ex.getRequestURI().getPath().equals("/") ? 200 : 404,
                ex.getRequestURI().getPath().equals("/") ? "droptop export: /metrics /ready\n" : "not found\n")));
        server.start();
        return server.getAddress();
    }

    /** Runs until {@link #stop()}; returns after everything it started is stopped. */
    public void run() throws InterruptedException {
        sampler = new Thread(this::sampleLoop, "droptop-export-sampler");
        sampler.setDaemon(true);
        sampler.start();
        long backoff = MIN_BACKOFF;
        try {
            while (!stopping) {
                Backend.Running running = null;
                long startedAt = System.nanoTime();
                String failure;
                try {
                    running = backend.start(new Backend.Options(false, options.intervalNanos()), input, series);
                    current = running;
                    failure = await(running);
                } catch (IOException | RuntimeException e) {
                    failure = "could not start: " + e.getMessage();
                } finally {
                    current = null;
                    if (running != null) {
                        running.close();
                    }
                }
                if (stopping) {
                    break;
                }
                if (System.nanoTime() - startedAt > HEALTHY_RESET) {
                    backoff = MIN_BACKOFF;
                }
                restarts++;
                log.println("droptop: backend " + backend.name() + " died (" + oneLine(failure) + "); restart "
                        + restarts + " in " + backoff / 1_000_000_000L + " s");
                log.flush();
                if (stop.await(backoff, TimeUnit.NANOSECONDS)) {
                    break;
                }
                backoff = Math.min(MAX_BACKOFF, backoff * 2);
            }
        } finally {
            shutdown();
        }
    }

    /** Asks {@link #run()} to end (from a signal handler or a test). */
    public void stop() {
        stopping = true;
        stop.countDown();
    }

    /**
     * True once the backend is attached and counting ({@link Backend.Running#counting()}: bpftrace once
     * its first interval arrived, perf once perf record has enabled its events).
     */
    public boolean ready() {
        Backend.Running r = current;
        return r != null && r.counting();
    }

    State state() {
        List<DropSeries.Series> s;
        long lost;
        long dropped;
        synchronized (series) {
            s = series.series();
            lost = series.lost();
            dropped = series.seriesDropped();
        }
        return new State(s, lost, dropped, conntrack, findings, version, kernel, backend.name(), ready(), restarts);
    }

    /** Waits until the backend fails or a stop is asked; returns the failure (null when stopped). */
    private String await(Backend.Running running) throws InterruptedException {
        while (!stopping) {
            String f = running.failure();
            if (f != null) {
                return f;
            }
            if (stop.await(200, TimeUnit.MILLISECONDS)) {
                return null;
            }
        }
        return null;
    }

    /** Every interval: conntrack per namespace, series expiry; every diagnosis window: the findings. */
    private void sampleLoop() {
        SystemSampler host = SystemSampler.start(ProcFs.live());
        Counters system = new Counters();
        long windowStart = System.nanoTime();
        try {
            while (!stopping) {
                conntrack = ConntrackSample.read();
                system.add(host.get());
                synchronized (series) {
                    series.expire();
                }
                long now = System.nanoTime();
                if (now - windowStart >= options.diagnosisNanos()) {
                    findings = diagnose(system.state());
                    system = new Counters();
                    windowStart = now;
                }
                if (stop.await(Math.min(options.intervalNanos(), 1_000_000_000L), TimeUnit.NANOSECONDS)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            // stopping
        } catch (RuntimeException e) {
            log.println("droptop: export sampler stopped: " + oneLine(String.valueOf(e.getMessage())));
        } finally {
            host.close();
        }
    }

    /** The rules over the drops since the last run; a fresh window starts. */
    private List<Finding> diagnose(SystemState system) {
        DropAggregator done;
        synchronized (series) {
            done = window;
            window = new DropAggregator(series.symbols(), options.intervalNanos());
            series.tee(window);
            done.finish();
        }
        return List.copyOf(Diagnoser.diagnose(done.snapshot(), system));
    }

    private void shutdown() throws InterruptedException {
        stopping = true;
        stop.countDown();
        if (sampler != null) {
            sampler.interrupt();
            sampler.join(5000);
        }
        if (server != null) {
            server.stop(0);
        }
        if (pool != null) {
            pool.shutdownNow();
            pool.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** GET and HEAD only, no request body read: nothing a client sends can change the exporter. */
    private static HttpHandler readOnly(HttpHandler h) {
        return ex -> {
            try (ex) {
                String m = ex.getRequestMethod();
                if (!m.equals("GET") && !m.equals("HEAD")) {
                    ex.getResponseHeaders().set("Allow", "GET, HEAD");
                    text(ex, 405, "method not allowed\n");
                    return;
                }
                h.handle(ex);
            }
        };
    }

    private static void text(HttpExchange ex, int code, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(code, head ? -1 : b.length);
        if (!head) {
            try (OutputStream o = ex.getResponseBody()) {
                o.write(b);
            }
        }
    }

    private static String oneLine(String s) {
        if (s == null) {
            return "exited";
        }
        String t = s.replaceAll("[\\p{Cntrl}]+", " ").strip();
        return t.length() > 300 ? t.substring(0, 300) + "..." : t;
    }

    /** The drop counters (tests read them). */
    DropSeries series() {
        return series;
    }

    Map<String, Long> conntrackEntries() {
        return conntrack.entries();
    }
}
