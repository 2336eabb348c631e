package dev.droptop.system;

import com.sun.jna.Native;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Runs code inside a named network namespace ({@code /run/netns/NAME}, as {@code ip netns add}
 * makes them). {@code setns(2)} switches only the calling thread, so each call runs on a fresh
 * thread that enters the namespace and then ends: the namespace never leaks into the caller's
 * threads. {@code /proc/net/...} follows the process' main thread, so code in the namespace must
 * read {@link #PROC_NET} ({@code /proc/thread-self/net}) instead.
 */
public final class Netns {
    public static final Path RUN_NETNS = Path.of("/run/netns");
    /** The per-thread view of /proc/net, valid on the switched thread. */
    public static final String PROC_NET = "thread-self/net";

    private Netns() {
    }

    /** True when {@code name} is a plain namespace name (no path separators) that exists. */
    public static boolean exists(String name) {
        return validName(name) && Files.exists(RUN_NETNS.resolve(name));
    }

    public static boolean validName(String name) {
        return name != null && !name.isEmpty() && !name.contains("/") && !name.equals(".") && !name.equals("..");
    }

    /**
     * Calls {@code task} on a new thread inside network namespace {@code name} and returns its result.
     *
     * @throws IOException when the namespace does not exist or cannot be entered (not root)
     */
    public static <T> T call(String name, Callable<T> task) throws IOException {
        if (!validName(name)) {
            throw new IOException("bad network namespace name: " + name);
        }
        Path file = RUN_NETNS.resolve(name);
        if (!Files.exists(file)) {
            throw new IOException("no network namespace " + name + " (" + file + " does not exist)");
        }
        FutureTask<T> future = new FutureTask<>(() -> {
            enter(file);
            return task.call();
        });
        Thread t = new Thread(future, "netns-" + name);
        t.setDaemon(true);
        t.start();
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while in netns " + name, e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            throw new IOException("in netns " + name + ": " + c.getMessage(), c);
        }
    }

    private static void enter(Path file) throws IOException {
        int fd = Libc.C.open(file.toString(), Libc.O_RDONLY | Libc.O_CLOEXEC);
        if (fd < 0) {
            throw new IOException("cannot open " + file + ": errno " + Native.getLastError());
        }
        try {
            if (Libc.C.setns(fd, Libc.CLONE_NEWNET) != 0) {
                int errno = Native.getLastError();
                throw new IOException("setns(" + file + ") failed: errno " + errno
                        + (errno == 1 ? " (EPERM: run as root)" : ""));
            }
        } finally {
            Libc.C.close(fd);
        }
    }
}
