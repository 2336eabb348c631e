package dev.droptop.lab;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the lab's setup commands (ip, nft) as argument lists, each bounded in time; one-line errors. */
final class Shell {
    private static final long TIMEOUT_S = 20;

    private Shell() {
    }

    static String run(String... cmd) throws IOException {
        return run(List.of(cmd), null);
    }

    /** Runs {@code cmd} with {@code stdin} (or none); returns stdout+stderr; throws when it fails. */
    static String run(List<String> cmd, String stdin) throws IOException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("cannot run " + cmd.get(0) + ": " + e.getMessage());
        }
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        try {
            if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out after " + TIMEOUT_S + " s: " + String.join(" ", cmd));
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", cmd));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd.subList(0, Math.min(6, cmd.size()))) + " failed (exit "
                    + p.exitValue() + "): " + firstLine(out));
        }
        return out;
    }

    static String firstLine(String s) {
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }
}
