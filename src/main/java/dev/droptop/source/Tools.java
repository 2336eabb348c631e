package dev.droptop.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** External tools: whether one is on the PATH, and its version line ({@code bpftrace v0.17.0}). */
final class Tools {
    private static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private Tools() {
    }

    static boolean onPath(String tool) {
        return find(tool) != null;
    }

    /**
     * Where {@code tool} runs from: itself when it names a path, else the first executable of that name in
     * {@code $PATH}'s directories (empty entries, the current directory, skipped); null when none.
     */
    static Path find(String tool) {
        if (tool.contains("/")) {
            return Files.isExecutable(Path.of(tool)) ? Path.of(tool) : null;
        }
        for (String dir : System.getenv().getOrDefault("PATH", DEFAULT_PATH).split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return Path.of(dir, tool);
            }
        }
        return null;
    }

    /** The first line {@code tool args} prints (stdout or stderr) within 5 s, or the tool's name. */
    static String version(String tool, String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of(tool));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE)
                    .start();
            p.getOutputStream().close();
            String first;
            try (InputStream in = p.getInputStream()) {
                first = new String(in.readNBytes(400), StandardCharsets.UTF_8).lines().findFirst().orElse("").trim();
            }
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            return first.isEmpty() ? tool : first;
        } catch (IOException e) {
            return tool;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return tool;
        }
    }
}
