package dev.droptop.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Who we run as, from {@code /proc/self/status} ({@code Uid:\t0\t0\t0\t0}: real, effective, saved,
 * fs) and {@code /proc/sys/kernel/perf_event_paranoid} (2 on Debian: unprivileged users may only
 * profile their own processes, so system-wide tracepoints need root or CAP_PERFMON).
 */
public final class Privileges {
    private Privileges() {
    }

    /** True when the effective uid is 0; false when it is not or cannot be read. */
    public static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    String[] f = line.substring(4).trim().split("\\s+");
                    return f.length > 1 && "0".equals(f[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return false;
    }

    /** perf_event_paranoid, or Integer.MAX_VALUE when unreadable. */
    public static int perfEventParanoid() {
        try {
            return Integer.parseInt(ProcFs.text(Path.of("/proc/sys/kernel/perf_event_paranoid")).trim());
        } catch (IOException | RuntimeException e) {
            return Integer.MAX_VALUE;
        }
    }
}
