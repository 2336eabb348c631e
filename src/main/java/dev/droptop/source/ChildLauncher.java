package dev.droptop.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Starts child pipelines so that they die with droptop, even after {@code kill -9}: each command is
 * prefixed with {@code setpriv --pdeathsig KILL --} (util-linux), which asks the kernel to SIGKILL
 * the child when its parent goes away.
 *
 * <p>The kernel sends PDEATHSIG when the <em>thread</em> that forked the child exits, not the
 * process. So every child is forked from one daemon thread, {@code droptop-launcher}, that lives as
 * long as the JVM (it only ever waits for the next start request); a child forked from a short-lived
 * thread (a pool worker, a test thread) would be killed when that thread ends. Where setpriv is
 * missing, commands start plainly and {@link #warning()} says so: then only the shutdown hooks of
 * {@link ChildProcess} protect against leftovers, which {@code kill -9} skips.
 */
final class ChildLauncher {
    private static final String SETPRIV = findSetpriv();
    private static final ExecutorService LAUNCHER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "droptop-launcher");
        t.setDaemon(true);
        return t;
    });

    private ChildLauncher() {
    }

    /** One line to show when children are not protected against kill -9 of droptop, else "". */
    static String warning() {
        return SETPRIV == null
                ? "setpriv (util-linux) not found: child processes may outlive droptop if it is killed with SIGKILL"
                : "";
    }

    /** The command as it will run: with the setpriv prefix when available. */
    static List<String> guarded(List<String> command) {
        if (SETPRIV == null) {
            return List.copyOf(command);
        }
        List<String> cmd = new ArrayList<>(List.of(SETPRIV, "--pdeathsig", "KILL", "--"));
        cmd.addAll(command);
        return cmd;
    }

    /**
     * Starts the commands as a pipeline (stdout of each into stdin of the next) from the launcher
     * thread; stdin of the first is closed. A missing executable is an IOException naming it.
     */
    static List<Process> startPipeline(List<List<String>> commands) throws IOException {
        List<ProcessBuilder> builders = new ArrayList<>();
        for (List<String> c : commands) {
            builders.add(new ProcessBuilder(guarded(c)));
        }
        builders.get(0).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        return launch(builders, commands);
    }

    /** Starts one command from the launcher thread with its stdin a pipe that droptop writes. */
    static Process startFed(List<String> command) throws IOException {
        return launch(List.of(new ProcessBuilder(guarded(command))), List.of(command)).get(0);
    }

    private static List<Process> launch(List<ProcessBuilder> builders, List<List<String>> commands) throws IOException {
        Future<List<Process>> f = LAUNCHER.submit(() -> ProcessBuilder.startPipeline(builders));
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting " + commands.get(0).get(0));
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            String m = c.getMessage() == null ? c.toString() : c.getMessage();
            throw new IOException("cannot run " + commands.get(0).get(0) + ": "
                    + m.replaceFirst("^Cannot run program \"[^\"]*\": ", ""), c);
        }
    }

    private static String findSetpriv() {
        Path onPath = Tools.find("setpriv");
        if (onPath != null) {
            return onPath.toString();
        }
        for (String p : List.of("/usr/bin/setpriv", "/bin/setpriv")) {
            if (Files.isExecutable(Path.of(p))) {
                return p;
            }
        }
        return null;
    }
}
