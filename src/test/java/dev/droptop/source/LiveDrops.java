package dev.droptop.source;

import dev.droptop.model.Snapshot;
import dev.droptop.testing.KernelTest;
import dev.droptop.testing.TestNetns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;

/** Helpers for tests that make real drops in a test netns and watch them through a live backend. */
final class LiveDrops {
    /** The nft table of the UDP case: port 9999 dropped on input. */
    static final String NFT_DROP_UDP_9999 =
            "table inet dtt {\n chain input {\n  type filter hook input priority 0;\n  udp dport 9999 drop\n }\n}\n";

    private LiveDrops() {
    }

    /** Runs DropGen inside {@code ns} and returns how many it sent ({@code sent=N secs=S}). */
    static long dropGen(TestNetns ns, String mode, int port, long count) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        String out = ns.exec(java, "-cp", KernelTest.projectDir().resolve("target/test-classes").toString(),
                "dev.droptop.testing.DropGen", mode, "127.0.0.1", Integer.toString(port), Long.toString(count), "20");
        String sent = out.substring(out.indexOf("sent=") + 5).split("\\s")[0];
        return Long.parseLong(sent);
    }

    /** The netns inode, as {@code stat -L -c %i /run/netns/NAME} prints it. */
    static long inode(TestNetns ns) throws IOException {
        return Long.parseLong(TestNetns.run("stat", "-L", "-c", "%i", "/run/netns/" + ns.name()).trim());
    }

    /** Waits until the session closed {@code windows} windows (the probe is attached and printing). */
    static void awaitWindows(LiveSession session, long windows, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (session.snapshot().windows() < windows && System.currentTimeMillis() < deadline) {
            String failure = session.running().failure();
            if (failure != null) {
                throw new AssertionError("backend failed: " + failure);
            }
            Thread.sleep(50);
        }
        if (session.snapshot().windows() < windows) {
            throw new AssertionError("no interval from the backend within " + timeoutMillis + " ms");
        }
    }

    /** Sum of the rows that match. */
    /**
     * Waits until the session's snapshot counts at least {@code n} drops matching {@code which}, or
     * {@code timeoutMillis} pass; the caller asserts on what was counted.
     */
    static void awaitCount(LiveSession session, Predicate<Snapshot.Row> which, long n, long timeoutMillis)
            throws InterruptedException {
        dev.droptop.testing.Await.holds(timeoutMillis, () -> count(session.snapshot(), which) >= n);
    }

    /** Whether {@code pid} holds a perf event (a tracepoint it attached to). */
    static boolean attached(long pid) {
        try (java.util.stream.Stream<java.nio.file.Path> fds = java.nio.file.Files.list(java.nio.file.Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.anyMatch(fd -> {
                try {
                    return java.nio.file.Files.readSymbolicLink(fd).toString().contains("perf_event");
                } catch (java.io.IOException e) {
                    return false;
                }
            });
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return false;
        }
    }

    static long count(Snapshot s, Predicate<Snapshot.Row> which) {
        return s.rows().stream().filter(which).mapToLong(Snapshot.Row::total).sum();
    }

    /** Our children whose command line mentions {@code tool} (should be none after a test). */
    static List<String> childrenRunning(String tool) {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .map(p -> p.pid() + " " + p.info().commandLine().orElse(p.info().command().orElse("?")))
                .filter(c -> c.contains(tool)).toList();
    }

    /** True when {@code pid} is gone or a zombie (killed, not yet reaped by its new parent). */
    static boolean gone(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException e) {
            return true;
        }
    }
}
