package dev.droptop.run;

import dev.droptop.testing.KernelTest;
import dev.droptop.testing.Signalled;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code droptop export} as a child process of a test, on 127.0.0.1 and a free port; its output in a temp file. */
final class Exporter implements AutoCloseable {
    final Process process;
    final String url;
    final Path log;

    private Exporter(Process process, String url, Path log) {
        this.process = process;
        this.url = url;
        this.log = log;
    }

    static Exporter start(String backend, String... extra) throws IOException {
        int port = Http.freePort();
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "-Ddroptop.home=" + KernelTest.projectDir(), "dev.droptop.cli.Main", "export",
                "--listen", "127.0.0.1:" + port, "--backend", backend, "--interval", "1s"));
        cmd.addAll(List.of(extra));
        Path log = Files.createTempFile("droptop-test-export", ".log");
        Process p = new ProcessBuilder(Signalled.command(cmd)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new Exporter(p, "http://127.0.0.1:" + port, log);
    }

    String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }

    boolean ready() {
        try {
            return Http.get(url + "/ready", null).code() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** Waits (polling) until /ready answers 200. */
    void awaitReady(int seconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!ready()) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                throw new AssertionError("exporter not ready after " + seconds + " s:\n" + output());
            }
            java.util.concurrent.locks.LockSupport.parkNanos(200_000_000L);
        }
    }

    /** SIGTERM and wait; returns the exit code. */
    int terminate() throws Exception {
        new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start().waitFor();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            Signalled.end(process);
            return -1;
        }
        return process.exitValue();
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            Signalled.end(process);
        }
        Files.deleteIfExists(log);
    }
}
