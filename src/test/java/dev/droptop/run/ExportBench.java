package dev.droptop.run;

import dev.droptop.model.DropKey;
import dev.droptop.model.DropSink;
import dev.droptop.model.NetnsNames;
import dev.droptop.model.Warnings;
import dev.droptop.source.Availability;
import dev.droptop.source.Backend;
import dev.droptop.testing.TestNetns;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * A measurement, not a test, of {@code droptop export}:
 * <ol>
 *   <li>the exporter's CPU (its JVM; bpftrace separately) while nft-dropped UDP floods a test netns at
 *       each RATE (0 = as fast as the generator goes), bpftrace backend, as a child process;</li>
 *   <li>the counter path alone: {@link DropSeries#record} of 1000 distinct keys, ns per call (what an
 *       event backend pays per drop);</li>
 *   <li>scrape latency of /metrics with 2000 series (in-process server), p50/p99/max over 300 scrapes,
 *       both formats.</li>
 * </ol>
 * <pre>
 * mvn -q -o test-compile
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) dev.droptop.run.ExportBench [SECONDS] [RATE...]
 * </pre>
 * (cp.txt from {@code mvn -q -o dependency:build-classpath -Dmdep.outputFile=target/cp.txt}). As root.
 */
public final class ExportBench {
    private ExportBench() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        List<Long> rates = args.length > 1 ? Arrays.stream(args).skip(1).map(Long::parseLong).toList()
                : List.of(100_000L, 0L);
        counterPath();
        scrapeLatency();
        flood(seconds, rates);
    }

    private static void flood(int seconds, List<Long> rates) throws Exception {
        Path dir = Path.of(System.getProperty("user.dir"));
        Path gen = dir.resolve("target/dropflood-bpf");
        TestNetns.run("gcc", "-O2", "-pthread", "-o", gen.toString(),
                dir.resolve("src/test/resources/bench/dropflood-bpf.c").toString());
        System.out.println("| target/s | sent/s | exported | exporter JVM CPU | bpftrace CPU |");
        System.out.println("|---|---|---|---|---|");
        try (TestNetns ns = TestNetns.create("xbench");
             Exporter exporter = Exporter.start("bpftrace")) {
            ns.nft("table inet dtt {\n chain input {\n  type filter hook input priority 0;\n  udp dport 9999 drop\n }\n}\n");
            exporter.awaitReady(90);
            long bpf = exporter.process.descendants()
                    .filter(h -> h.info().command().map(c -> c.endsWith("/bpftrace")).orElse(false))
                    .findFirst().orElseThrow().pid();
            String sel = "location=\"nft_do_chain\",netns=\"" + ns.name() + "\"";
            for (long rate : rates) {
                long before = SupervisionRootTest.counter(Http.get(exporter.url + "/metrics", null).body(), sel);
                long j0 = cpuTicks(exporter.process.pid());
                long b0 = cpuTicks(bpf);
                long t0 = System.nanoTime();
                String out = ns.exec(gen.toString(), "9999", Long.toString(rate), Integer.toString(seconds), "2");
                double wall = (System.nanoTime() - t0) / 1e9;
                double jvm = (cpuTicks(exporter.process.pid()) - j0) / 100.0 / wall * 100;
                double bcpu = (cpuTicks(bpf) - b0) / 100.0 / wall * 100;
                long sent = Long.parseLong(out.substring(out.indexOf("sent=") + 5).split("\\s")[0]);
                double secs = Double.parseDouble(out.substring(out.indexOf("secs=") + 5).trim());
                long deadline = System.nanoTime() + 10_000_000_000L;
                long got;
                do {
                    got = SupervisionRootTest.counter(Http.get(exporter.url + "/metrics", null).body(), sel) - before;
                } while (got < sent && System.nanoTime() < deadline);
                System.out.printf("| %s | %,.0f | %,d of %,d | %.1f%% | %.1f%% |%n",
                        rate == 0 ? "max" : String.format("%,d", rate), sent / secs, got, sent, jvm, bcpu);
            }
            exporter.terminate();
        }
    }

    private static void counterPath() {
        DropSeries s = new DropSeries(NetnsNames.NONE, Set.copyOf(DropSeries.LABELS), 2000, Long.MAX_VALUE, System::nanoTime);
        DropKey[] keys = new DropKey[1000];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = new DropKey("fn_" + i, i, "NO_SOCKET", 0x800, 4026531840L + i % 10, "eth" + i % 4);
        }
        for (int round = 0; round < 3; round++) {
            long n = 20_000_000L;
            long t0 = System.nanoTime();
            for (long i = 0; i < n; i++) {
                s.record(keys[(int) (i % keys.length)], 0, 1, i);
            }
            double ns = (System.nanoTime() - t0) / (double) n;
            System.out.printf("DropSeries.record, 1000 keys: %.1f ns/drop (%.1f%% of a core at 100k/s, %.1f%% at 1M/s)%n",
                    ns, ns * 100_000 / 1e9 * 100, ns * 1_000_000 / 1e9 * 100);
        }
    }

    private static void scrapeLatency() throws Exception {
        Backend many = new Backend() {
            @Override
            public String name() {
                return "synthetic";
            }

            @Override
            public Availability check() {
                return Availability.works("bench");
            }

            @Override
            public Running start(Options options, DropSink sink, Object lock) {
                synchronized (lock) {
                    for (int i = 0; i < 2000; i++) {
                        sink.record(new DropKey("function_name_" + i, i, "NETFILTER_DROP", 0x800, 4026531840L + i % 50,
                                "veth" + i % 40), 0, 1000L + i, 1);
                    }
                    sink.intervalEnd(2);
                }
                return new Running() {
                    private volatile boolean closed;

                    public List<String> command() {
                        return List.of();
                    }

                    public boolean aggregates() {
                        return true;
                    }

                    public void awaitEnd() {
                    }

                    public String failure() {
                        return null;
                    }

                    public Warnings warnings() {
                        return new Warnings();
                    }

                    public void close() {
                        closed = true;
                    }
                };
            }
        };
        ExportOptions o = new ExportOptions("127.0.0.1", 0, "synthetic", 1_000_000_000L, 2000, Long.MAX_VALUE / 2,
                Set.copyOf(DropSeries.LABELS), 30_000_000_000L);
        ExportSession session = new ExportSession(o, many, NetnsNames.NONE, "bench", "bench",
                new PrintStream(new ByteArrayOutputStream()));
        String url = "http://127.0.0.1:" + session.listen().getPort() + "/metrics";
        Thread t = new Thread(() -> {
            try {
                session.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        t.start();
        try {
            while (!session.ready()) {
                Thread.onSpinWait();
            }
            for (String accept : new String[] {null, "application/openmetrics-text; version=1.0.0"}) {
                long[] ms = new long[300];
                int bytes = 0;
                for (int i = 0; i < 50; i++) {
                    Http.get(url, accept);
                }
                for (int i = 0; i < ms.length; i++) {
                    long t0 = System.nanoTime();
                    bytes = Http.get(url, accept).body().length();
                    ms[i] = System.nanoTime() - t0;
                }
                Arrays.sort(ms);
                System.out.printf("scrape, 2000 series, %s (%d kB): p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                        accept == null ? "Prometheus text" : "OpenMetrics", bytes / 1024, ms[150] / 1e6,
                        ms[296] / 1e6, ms[299] / 1e6);
            }
        } finally {
            session.stop();
            t.join(10_000);
        }
    }

    static long cpuTicks(long pid) throws java.io.IOException {
        String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}
