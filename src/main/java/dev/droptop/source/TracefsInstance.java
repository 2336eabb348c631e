package dev.droptop.source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * A private tracefs instance {@code <tracefs>/instances/droptop-<pid>}: its own ring buffer, event
 * switches and {@code trace_pipe}, so droptop never touches the global trace or another tool's
 * instance. Writes use plain {@code O_WRONLY} (no {@code O_TRUNC}: truncating a {@code trigger} file
 * removes every trigger). {@link #remove()} disables what it enabled and removes the directory.
 *
 * <p>Per-CPU {@code per_cpu/cpuN/stats} read like this (kernel 6.18); {@code overrun} counts events
 * overwritten before the reader got them, {@code dropped events} those refused by a full buffer:
 * <pre>
 * entries: 0
 * overrun: 0
 * commit overrun: 0
 * ...
 * dropped events: 0
 * </pre>
 */
final class TracefsInstance {
    static final String PREFIX = "droptop-";
    static final String EVENT = "events/skb/kfree_skb";
    private final Path dir;
    private volatile boolean removed;

    private TracefsInstance(Path dir) {
        this.dir = dir;
    }

    /** The tracefs mount: /sys/kernel/tracing, else /sys/kernel/debug/tracing; null when neither. */
    static Path findRoot() {
        for (String p : List.of("/sys/kernel/tracing", "/sys/kernel/debug/tracing")) {
            if (Files.isDirectory(Path.of(p, "instances"))) {
                return Path.of(p);
            }
        }
        return null;
    }

    /** Creates {@code instances/droptop-<pid>}; an existing one of the same pid is replaced. */
    static TracefsInstance create(Path root, long pid) throws IOException {
        Path dir = root.resolve("instances").resolve(PREFIX + pid);
        if (Files.isDirectory(dir)) {
            new TracefsInstance(dir).remove();
        }
        try {
            Files.createDirectory(dir);
        } catch (IOException e) {
            throw new IOException("cannot create tracefs instance " + dir + ": " + e.getMessage(), e);
        }
        return new TracefsInstance(dir);
    }

    /**
     * Removes the instances {@code droptop-<pid>} whose process is gone (left by a droptop killed
     * with SIGKILL). Instances of live processes and other names are never touched. Returns how
     * many were removed.
     */
    static int removeStale(Path root) {
        int n = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root.resolve("instances"), PREFIX + "*")) {
            for (Path d : ds) {
                long pid = pidOf(d.getFileName().toString());
                if (pid > 0 && ProcessHandle.of(pid).isEmpty()) {
                    new TracefsInstance(d).remove();
                    n += Files.exists(d) ? 0 : 1;
                }
            }
        } catch (IOException e) {
            // no instances directory: nothing stale
        }
        return n;
    }

    static long pidOf(String name) {
        String digits = name.substring(PREFIX.length());
        if (digits.isEmpty() || digits.length() > 10 || !digits.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        return Long.parseLong(digits);
    }

    Path dir() {
        return dir;
    }

    Path file(String relative) {
        return dir.resolve(relative);
    }

    /** Writes {@code text} to a control file, e.g. {@code write("events/skb/kfree_skb/enable", "1")}. */
    void write(String relative, String text) throws IOException {
        try {
            Files.write(dir.resolve(relative), text.getBytes(StandardCharsets.US_ASCII), StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new IOException("cannot write '" + text.trim() + "' to " + dir.resolve(relative) + ": "
                    + e.getMessage(), e);
        }
    }

    /** Sum over CPUs of {@code overrun} and {@code dropped events} in {@code per_cpu/cpu*}{@code /stats}. */
    long lostEvents() {
        long sum = 0;
        try (DirectoryStream<Path> cpus = Files.newDirectoryStream(dir.resolve("per_cpu"), "cpu*")) {
            for (Path cpu : cpus) {
                sum += lostIn(cpu.resolve("stats"));
            }
        } catch (IOException e) {
            // instance gone
        }
        return sum;
    }

    static long lostIn(Path stats) {
        long sum = 0;
        try {
            for (String line : Files.readAllLines(stats, StandardCharsets.US_ASCII)) {
                if (line.startsWith("overrun:") || line.startsWith("dropped events:")) {
                    sum += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                }
            }
        } catch (IOException | NumberFormatException e) {
            // unreadable: count nothing
        }
        return sum;
    }

    /**
     * Disables the event, removes the trigger and removes the directory. Quiet and idempotent; the
     * directory cannot go while {@code trace_pipe} is open, so close the pipe first. Retries briefly
     * because the kernel may still hold the instance for a moment after the last reader closed.
     */
    void remove() {
        if (removed) {
            return;
        }
        quietly(EVENT + "/enable", "0");
        quietly(EVENT + "/trigger", "!stacktrace");
        for (int attempt = 0; attempt < 20 && Files.exists(dir); attempt++) {
            try {
                Files.delete(dir);
            } catch (IOException e) {
                sleep(25);
            }
        }
        removed = !Files.exists(dir);
    }

    boolean exists() {
        return Files.isDirectory(dir);
    }

    private void quietly(String relative, String text) {
        try {
            write(relative, text);
        } catch (IOException e) {
            // not enabled, or already gone
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
