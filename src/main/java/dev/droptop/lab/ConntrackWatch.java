package dev.droptop.lab;

import dev.droptop.system.Netns;
import dev.droptop.system.ProcFs;
import dev.droptop.system.SystemSampler;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Samples the conntrack counters of the nat namespace while a load runs: count/max/buckets from
 * {@code /proc/sys/net/netfilter} and the stat columns from {@code /proc/thread-self/net/stat/nf_conntrack},
 * read on a thread that entered the namespace ({@link Netns#call}), every {@code periodMillis}.
 */
final class ConntrackWatch implements AutoCloseable {
    private static final int MAX_SAMPLES = 10_000;
    private final String netns;
    private final SystemSampler sampler;
    private final long periodMillis;
    private final List<Map<String, Long>> samples = new ArrayList<>();
    private final Thread thread;
    private volatile boolean closed;

    private ConntrackWatch(String netns, long periodMillis) {
        this.netns = netns;
        this.periodMillis = periodMillis;
        this.sampler = SystemSampler.start(ProcFs.live());
        this.thread = new Thread(this::loop, "droptop-lab-conntrack");
        this.thread.setDaemon(true);
    }

    static ConntrackWatch start(String netns, long periodMillis) {
        ConntrackWatch w = new ConntrackWatch(netns, periodMillis);
        w.sample();
        w.thread.start();
        return w;
    }

    private void loop() {
        while (!closed) {
            try {
                Thread.sleep(periodMillis);
            } catch (InterruptedException e) {
                return;
            }
            sample();
        }
    }

    private void sample() {
        try {
            Map<String, Long> m = Netns.call(netns, sampler::get);
            synchronized (samples) {
                if (samples.size() < MAX_SAMPLES) {
                    samples.add(m);
                }
            }
        } catch (IOException e) {
            // namespace gone or not enterable: keep what we have
        }
    }

    /** The latest sample (empty before the first), for a live gauge. */
    Map<String, Long> latest() {
        synchronized (samples) {
            return samples.isEmpty() ? Map.of() : samples.get(samples.size() - 1);
        }
    }

    /** Stops sampling after one last sample and returns them all, oldest first. */
    List<Map<String, Long>> finish() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sample();
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        sampler.close();
    }
}
