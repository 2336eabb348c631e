package dev.droptop.testing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starting droptop for tests that signal it. A background job of a non-interactive shell starts with
 * SIGINT ignored, every process below inherits that, and a JVM that starts with SIGINT ignored never
 * installs a handler for it: run from {@code bin/test &} the SIGINT tests saw a capture that would not
 * stop. {@code env --default-signal} (coreutils 8.31+) puts INT, TERM and HUP back to their default
 * for the child, so the test exercises droptop, not how the build was started.
 */
public final class Signalled {
    private static final boolean ENV_DEFAULT_SIGNAL = supported();

    private Signalled() {
    }

    /** {@code command}, run with INT, TERM and HUP at their default disposition when env can do it. */
    public static List<String> command(List<String> command) {
        if (!ENV_DEFAULT_SIGNAL) {
            return command;
        }
        List<String> out = new ArrayList<>(List.of("env", "--default-signal=INT,TERM,HUP"));
        out.addAll(command);
        return out;
    }

    /**
     * Ends what a failed test left running: SIGTERM first (droptop cleans up: tracefs instance,
     * children), SIGKILL to it and its children after 10 s.
     */
    public static void end(Process p) throws InterruptedException {
        if (!p.isAlive()) {
            return;
        }
        List<ProcessHandle> children = p.descendants().toList();
        try {
            new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            // no kill(1): destroy below
        }
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }

    private static boolean supported() {
        try {
            Process p = new ProcessBuilder("env", "--default-signal=INT", "true").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
