package dev.droptop.source;

import dev.droptop.model.DropSink;
import java.io.IOException;
import java.util.List;

/** Every live backend droptop knows, in the order {@code doctor} lists them. */
public final class Backends {
    private Backends() {
    }

    /**
     * perf, bpftrace, tracefs, stap.
     *
     * <p>LEAD, on merging branch live-tracefs-perf: replace {@code pending("perf")} by
     * {@code new PerfBackend()} and {@code pending("tracefs")} by {@code new TracefsBackend()}, then
     * delete {@link #pending} (those classes were not in this branch when it was written).
     */
    public static List<Backend> all() {
        return List.of(pending("perf"), new BpftraceBackend(), pending("tracefs"), new StapBackend());
    }

    /** The backend called {@code name}, or null. */
    public static Backend byName(String name) {
        for (Backend b : all()) {
            if (b.name().equals(name)) {
                return b;
            }
        }
        return null;
    }

    /** Stand-in for a backend written on another branch: never works, says so. */
    static Backend pending(String name) {
        return new Backend() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Availability check() {
                return Availability.no("the " + name + " backend is not part of this build", "merge branch live-tracefs-perf");
            }

            @Override
            public Running start(Options options, DropSink sink, Object lock) throws IOException {
                throw new IOException(check().reason());
            }
        };
    }
}
