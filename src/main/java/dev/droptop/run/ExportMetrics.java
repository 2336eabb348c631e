package dev.droptop.run;

import dev.droptop.diagnose.Finding;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The metric families of {@code droptop export}, built from the session's state at each scrape (the
 * client library writes them as Prometheus text, OpenMetrics or protobuf, as the scraper asks). Names
 * are given without {@code _total}/{@code _info}; the library adds those suffixes.
 */
final class ExportMetrics implements MultiCollector {
    private final ExportSession session;

    ExportMetrics(ExportSession session) {
        this.session = session;
    }

    @Override
    public MetricSnapshots collect() {
        List<MetricSnapshot> out = new ArrayList<>();
        ExportSession.State st = session.state();

        CounterSnapshot.Builder drops = CounterSnapshot.builder().name("droptop_drops")
                .help("Packets the kernel dropped (skb:kfree_skb), by drop function, reason, L3 protocol, network namespace and device");
        String[] names = DropSeries.LABELS.toArray(new String[0]);
        for (DropSeries.Series s : st.series()) {
            drops.dataPoint(CounterDataPointSnapshot.builder().labels(Labels.of(names, s.labels.clone()))
                    .value(s.count()).build());
        }
        out.add(drops.build());

        out.add(CounterSnapshot.builder().name("droptop_lost_events")
                .help("Drop events the kernel or the backend lost (counts are low by this much)")
                .dataPoint(CounterDataPointSnapshot.builder().labels(Labels.of("backend", st.backend()))
                        .value(st.lost()).build()).build());

        GaugeSnapshot.Builder entries = GaugeSnapshot.builder().name("droptop_conntrack_entries")
                .help("Conntrack entries (nf_conntrack_count) per network namespace");
        for (Map.Entry<String, Long> e : st.conntrack().entries().entrySet()) {
            entries.dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of("netns", e.getKey()))
                    .value(e.getValue()).build());
        }
        out.add(entries.build());
        GaugeSnapshot.Builder max = GaugeSnapshot.builder().name("droptop_conntrack_max")
                .help("net.netfilter.nf_conntrack_max (global)");
        if (st.conntrack().max() >= 0) {
            max.dataPoint(GaugeDataPointSnapshot.builder().value(st.conntrack().max()).build());
        }
        out.add(max.build());
        CounterSnapshot.Builder ctDrops = CounterSnapshot.builder().name("droptop_conntrack_drops")
                .help("Packets conntrack dropped (drop column of /proc/net/stat/nf_conntrack, summed over CPUs) per network namespace");
        for (Map.Entry<String, Long> e : st.conntrack().drops().entrySet()) {
            ctDrops.dataPoint(CounterDataPointSnapshot.builder().labels(Labels.of("netns", e.getKey()))
                    .value(e.getValue()).build());
        }
        out.add(ctDrops.build());

        GaugeSnapshot.Builder findings = GaugeSnapshot.builder().name("droptop_finding")
                .help("1 while a diagnosis rule fires over the last diagnosis window");
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Finding f : st.findings()) {
            if (seen.add(f.id())) {
                findings.dataPoint(GaugeDataPointSnapshot.builder()
                        .labels(Labels.of("rule", f.id(), "severity", f.severity().label())).value(1).build());
            }
        }
        out.add(findings.build());

        // a gauge named _info rather than the OpenMetrics info type: promtool and older scrapers parse it
        out.add(GaugeSnapshot.builder().name("droptop_build_info").help("droptop version, kernel release and backend (always 1)")
                .dataPoint(GaugeDataPointSnapshot.builder()
                        .labels(Labels.of("version", st.version(), "kernel", st.kernel(), "backend", st.backend()))
                        .value(1).build()).build());
        out.add(GaugeSnapshot.builder().name("droptop_up").help("1 while the backend is attached and counting")
                .dataPoint(GaugeDataPointSnapshot.builder().value(st.up() ? 1 : 0).build()).build());
        out.add(CounterSnapshot.builder().name("droptop_backend_restarts")
                .help("Times the backend died and was restarted")
                .dataPoint(CounterDataPointSnapshot.builder().labels(Labels.of("backend", st.backend()))
                        .value(st.restarts()).build()).build());
        out.add(CounterSnapshot.builder().name("droptop_series_dropped")
                .help("Drops not exported because droptop_drops_total reached --max-series")
                .dataPoint(CounterDataPointSnapshot.builder().value(st.seriesDropped()).build()).build());
        return new MetricSnapshots(out);
    }
}
