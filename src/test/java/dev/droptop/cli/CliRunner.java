package dev.droptop.cli;

import dev.droptop.model.DropFilter;
import dev.droptop.run.ReplayRun;
import dev.droptop.run.ReplaySettings;
import dev.droptop.testing.KernelTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Runs droptop in-process (surefire runs in the project directory), capturing stdout, stderr and the exit code. */
final class CliRunner {
    private CliRunner() {
    }

    record Result(int code, String stdout, String stderr) {
    }

    static synchronized Result run(String... args) throws IOException {
        return runWithInput(new byte[0], args);
    }

    /** As {@link #run}, with {@code stdin} as standard input. */
    static synchronized Result runWithInput(byte[] stdin, String... args) throws IOException {
        java.io.InputStream in = System.in;
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setIn(new java.io.ByteArrayInputStream(stdin));
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Result(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setIn(in);
            System.setOut(out);
            System.setErr(err);
        }
    }

    /** What {@code droptop replay FILE} loads before its screens open (at speed max, 1 s windows, no filter). */
    static ReplayRun replay(Path file, Path kallsyms, Path archive) {
        return new ReplayRun(new ReplaySettings(file, 0, 1_000_000_000L, DropFilter.ALL, kallsyms, archive), System.err);
    }

    static Path project(String relative) {
        Path p = KernelTest.projectDir().resolve(relative);
        if (!Files.exists(p)) {
            throw new IllegalStateException("missing " + p);
        }
        return p;
    }
}
