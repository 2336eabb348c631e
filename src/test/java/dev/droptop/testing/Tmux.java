package dev.droptop.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A tmux server of one test on its own socket ({@code tmux -L NAME}): commands, screen captures and
 * waiting for text. Closing kills that server only and removes its socket file.
 */
public final class Tmux implements AutoCloseable {
    private final String socket;

    public Tmux(String prefix) {
        this.socket = prefix + "-" + ProcessHandle.current().pid();
    }

    public static boolean installed() {
        return KernelTest.onPath("tmux");
    }

    /** Runs {@code tmux -L SOCKET ARGS...} and returns its output. */
    public String run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-L", socket));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return out;
    }

    public String screen() throws IOException, InterruptedException {
        return run("capture-pane", "-p");
    }

    /** The screen once it shows all of {@code texts} (frames may arrive in pieces). */
    public String waitFor(long millis, String... texts) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        String screen = "";
        while (System.currentTimeMillis() < deadline) {
            screen = screen();
            String shown = screen;
            if (Arrays.stream(texts).allMatch(shown::contains)) {
                return screen;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(List.of(texts) + " not on screen within " + millis + " ms:\n" + screen);
    }

    /** Kills this test's server and removes the socket file kill-server leaves behind. */
    @Override
    public void close() throws IOException, InterruptedException {
        run("kill-server");
        String dir = System.getenv().getOrDefault("TMUX_TMPDIR", "/tmp");
        String uid = new String(new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes()).trim();
        Files.deleteIfExists(Path.of(dir, "tmux-" + uid, socket));
    }
}
