package dev.droptop.source;

import java.util.ArrayList;
import java.util.List;

/**
 * The backends droptop knows, and the choice of {@code --backend auto}: the first one that works
 * here, in the order of {@link #all()}.
 */
public final class Backends {
    private Backends() {
    }

    /**
     * Every backend, in the order auto prefers them, by what was measured on this machine (README,
     * "Backends"): bpftrace counts in the kernel (~490k drops/s seen with the JVM at 2-8% of a core,
     * no ring buffer to overrun); perf-native reads perf_event_open rings in the JVM (500k drops/s
     * with stacks seen in full on a 2-CPU VM with 16 MiB rings, JVM ~17%; see {@link NativePerfBackend});
     * tracefs needs no tool and keeps up to ~100-125k drops/s; perf
     * streams live only with --no-buffering, which holds senders to ~20k drops/s; stap needs
     * loadable modules and a kernel build tree.
     */
    public static List<Backend> all() {
        return new ArrayList<>(List.of(new BpftraceBackend(), new NativePerfBackend(), new TracefsBackend(),
                new PerfBackend(),
                new StapBackend()));
    }

    /** The backend called {@code name}, or null (doctor's name for {@link #named}). */
    public static Backend byName(String name) {
        return named(name);
    }

    public static List<String> names() {
        List<String> names = new ArrayList<>();
        for (Backend b : all()) {
            names.add(b.name());
        }
        return names;
    }

    /** The backend called {@code name}, or null. */
    public static Backend named(String name) {
        for (Backend b : all()) {
            if (b.name().equals(name)) {
                return b;
            }
        }
        return null;
    }

    /** The choice of auto: the backend and why it was picked (and why the better ones were not). */
    public record Choice(Backend backend, String why) {
    }

    /** The first backend that works; null backend with the reasons when none does. */
    public static Choice auto() {
        StringBuilder skipped = new StringBuilder();
        for (Backend b : all()) {
            Availability a = b.check();
            if (a.works()) {
                String why = skipped.length() == 0 ? "the preferred backend works here"
                        : "better ones do not work here: " + skipped;
                return new Choice(b, why);
            }
            if (skipped.length() > 0) {
                skipped.append("; ");
            }
            skipped.append(b.name()).append(": ").append(a.reason());
        }
        return new Choice(null, skipped.length() == 0 ? "no backends" : skipped.toString());
    }
}
