package dev.droptop.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A child process started from an argument list (never a shell string), whose stderr is drained
 * into a bounded ring of lines for error messages. Closing it ends the process tree: SIGTERM, then
 * SIGKILL after a grace period. A JVM shutdown hook ends it too, so it never outlives droptop.
 */
public final class ChildProcess implements AutoCloseable {
    private static final int STDERR_LINES = 50;
    private final List<String> command;
    private final Process process;
    private final Deque<String> stderr = new ArrayDeque<>();
    private final Thread drain;
    private final Thread hook;
    private final Consumer<String> stderrListener;

    private ChildProcess(List<String> command, Process process, Consumer<String> stderrListener) {
        this.command = List.copyOf(command);
        this.process = process;
        this.stderrListener = stderrListener;
        this.drain = new Thread(this::drainStderr, "stderr-" + command.get(0));
        this.drain.setDaemon(true);
        this.drain.start();
        this.hook = new Thread(this::destroyTree, "kill-" + command.get(0));
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Starts {@code command}; a missing executable becomes an IOException naming it. */
    public static ChildProcess start(List<String> command) throws IOException {
        return start(command, line -> { });
    }

    /**
     * Starts {@code command}; every stderr line is also given to {@code stderrListener} on the drain
     * thread (supervision: an {@code ERROR:} line ends a run).
     */
    public static ChildProcess start(List<String> command, Consumer<String> stderrListener) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.redirectInput(ProcessBuilder.Redirect.PIPE);
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            return new ChildProcess(command, p, stderrListener);
        } catch (IOException e) {
            throw new IOException("cannot run " + command.get(0) + ": " + rootMessage(e), e);
        }
    }

    /** Takes charge of a process started elsewhere (e.g. one stage of a {@link ChildLauncher} pipeline). */
    static ChildProcess adopt(List<String> command, Process process) {
        return new ChildProcess(command, process, line -> { });
    }

    public InputStream stdout() {
        return process.getInputStream();
    }

    /** The child's stdin: a pipe only when it was started with one (see {@link ChildLauncher#startFed}). */
    java.io.OutputStream stdin() {
        return process.getOutputStream();
    }

    public List<String> command() {
        return command;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for exit and for stderr to be drained; returns the exit code. */
    public int waitFor() throws InterruptedException {
        int rc = process.waitFor();
        drain.join(2000);
        return rc;
    }

    /** The last stderr lines, oldest first. */
    public List<String> stderrTail() {
        synchronized (stderr) {
            return List.copyOf(stderr);
        }
    }

    /** The last non-blank stderr line, or "" (for one-line error messages). */
    public String lastError() {
        List<String> tail = stderrTail();
        for (int i = tail.size() - 1; i >= 0; i--) {
            if (!tail.get(i).isBlank()) {
                return tail.get(i).trim();
            }
        }
        return "";
    }

    /**
     * Sends SIGINT (bpftrace runs its END probe, stap its end probe) and waits up to {@code graceMillis}
     * for the exit; does not close. Returns true when the child ended on the SIGINT: what it printed last
     * is then still to be read from {@link #stdout()}, which {@link #close} would discard.
     */
    public boolean interruptAndWait(long graceMillis) {
        try {
            interrupt();
            return process.waitFor(graceMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Sends SIGINT, as Ctrl-C on a terminal would (perf record then finishes its file and exits);
     * does not wait. Without kill(1) nothing is sent: {@link #close} still ends the child.
     */
    public void interrupt() {
        if (!process.isAlive()) {
            return;
        }
        try {
            new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor(1, TimeUnit.SECONDS);
        } catch (IOException e) {
            // no kill(1)
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        destroyTree();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook runs anyway
        }
    }

    private void destroyTree() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private void drainStderr() {
        try (InputStream err = process.getErrorStream()) {
            StringBuilder line = new StringBuilder();
            byte[] buf = new byte[8192];
            for (int n; (n = err.read(buf)) > 0; ) {
                String s = new String(buf, 0, n, StandardCharsets.UTF_8);
                for (int i = 0; i < s.length(); i++) {
                    char c = s.charAt(i);
                    if (c == '\n') {
                        push(line.toString());
                        line.setLength(0);
                    } else if (line.length() < 1000) {
                        line.append(c);
                    }
                }
            }
            if (line.length() > 0) {
                push(line.toString());
            }
        } catch (IOException e) {
            // process gone
        }
    }

    private void push(String line) {
        synchronized (stderr) {
            if (stderr.size() == STDERR_LINES) {
                stderr.removeFirst();
            }
            stderr.addLast(line);
        }
        stderrListener.accept(line);
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null ? t.toString() : m.replaceFirst("^Cannot run program \"[^\"]*\": ", "");
    }
}
