package dev.droptop.testing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace made by a test, with loopback up, deleted on close (and by a shutdown hook if
 * the JVM dies first). Names start with {@code dtt-} and carry the JVM pid so parallel runs differ.
 */
public final class TestNetns implements AutoCloseable {
    private static int counter;
    private final String name;
    private final Thread hook;

    private TestNetns(String name) {
        this.name = name;
        this.hook = new Thread(() -> quietly("ip", "netns", "del", name));
        Runtime.getRuntime().addShutdownHook(hook);
    }

    public static synchronized TestNetns create(String purpose) throws IOException {
        String name = "dtt-" + purpose + "-" + ProcessHandle.current().pid() + "-" + (counter++);
        run("ip", "netns", "add", name);
        TestNetns ns = new TestNetns(name);
        ns.exec("ip", "link", "set", "lo", "up");
        return ns;
    }

    public String name() {
        return name;
    }

    /** Runs a command inside the namespace and fails on a non-zero exit. */
    public String exec(String... command) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", name));
        cmd.addAll(List.of(command));
        return run(cmd.toArray(new String[0]));
    }

    /** Feeds {@code script} to {@code nft -f -} inside the namespace. */
    public void nft(String script) throws IOException {
        Process p = new ProcessBuilder("ip", "netns", "exec", name, "nft", "-f", "-").redirectErrorStream(true).start();
        p.getOutputStream().write(script.getBytes());
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes());
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("nft failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    @Override
    public void close() {
        quietly("ip", "netns", "del", name);
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // shutting down
        }
    }

    public static String run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out: " + String.join(" ", command));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + p.exitValue() + "): " + out.trim());
        }
        return out;
    }

    private static void quietly(String... command) {
        try {
            run(command);
        } catch (IOException e) {
            // already gone
        }
    }
}
