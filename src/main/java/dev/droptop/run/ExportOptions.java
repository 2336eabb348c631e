package dev.droptop.run;

import java.net.InetSocketAddress;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * How {@code droptop export} runs.
 *
 * @param host address to listen on (127.0.0.1 unless told otherwise)
 * @param port TCP port (0: any free port, printed at start)
 * @param backend backend name or "auto"
 * @param intervalNanos the backend's aggregation interval
 * @param maxSeries cap on {@code droptop_drops_total} series
 * @param idleNanos a series without drops for this long is removed
 * @param labels the {@code droptop_drops_total} labels kept (the others are left empty)
 * @param diagnosisNanos window over which the diagnosis rules run for {@code droptop_finding}
 */
public record ExportOptions(String host, int port, String backend, long intervalNanos, int maxSeries, long idleNanos,
                            Set<String> labels, long diagnosisNanos) {
    public static final int DEFAULT_MAX_SERIES = 2000;
    public static final long DEFAULT_IDLE_NANOS = 600_000_000_000L;

    /** {@code --listen}: {@code ADDR:PORT}, {@code [v6]:PORT} or a bare {@code PORT} (127.0.0.1). */
    public static InetSocketAddress address(String text) {
        String host = "127.0.0.1";
        String port = text;
        int colon = text.lastIndexOf(':');
        if (colon >= 0) {
            host = text.substring(0, colon);
            port = text.substring(colon + 1);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            if (host.isEmpty()) {
                throw new UserError("--listen " + text + ": give the address (e.g. 127.0.0.1:" + port
                        + "); droptop does not listen on every address unless told (0.0.0.0:" + port + ")");
            }
        }
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new UserError("--listen " + text + ": port is not a number");
        }
        if (p < 0 || p > 65535) {
            throw new UserError("--listen " + text + ": port out of range");
        }
        InetSocketAddress a = new InetSocketAddress(host, p);
        if (a.isUnresolved()) {
            throw new UserError("--listen " + text + ": unknown address " + host);
        }
        return a;
    }

    /** {@code --labels}: the ones given (null: all of {@link DropSeries#LABELS}), each one of those. */
    public static Set<String> labels(Set<String> given) {
        Set<String> keep = given == null ? Set.copyOf(DropSeries.LABELS) : new LinkedHashSet<>(given);
        for (String l : keep) {
            if (!DropSeries.LABELS.contains(l)) {
                throw new UserError("--labels: unknown label " + l + " (use " + String.join(",", DropSeries.LABELS) + ")");
            }
        }
        return keep;
    }
}
