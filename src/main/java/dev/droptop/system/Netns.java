package dev.droptop.system;

import com.sun.jna.Native;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
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
        return callIn(file, name, task);
    }

    /**
     * A file that refers to the network namespace with inode {@code inode}: a {@code /run/netns}
     * name, else a process' {@code /proc/PID/ns/net} (the first found); empty when none does.
     */
    public static Optional<Path> fileOf(long inode) {
        Optional<Path> named = find(RUN_NETNS, null, inode);
        return named.isPresent() ? named : find(Path.of("/proc"), "ns/net", inode);
    }

    private static Optional<Path> find(Path dir, String below, long inode) {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (below != null && !p.getFileName().toString().chars().allMatch(Character::isDigit)) {
                    continue;
                }
                Path f = below == null ? p : p.resolve(below);
                try {
                    if (((Number) Files.getAttribute(f, "unix:ino")).longValue() == inode) {
                        return Optional.of(f);
                    }
                } catch (IOException | RuntimeException e) {
                    // a process that ended, or a file we may not stat: next
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** Calls {@code task} on a new thread inside the namespace {@code file} refers to ({@link #fileOf}). */
    public static <T> T call(Path file, Callable<T> task) throws IOException {
        return callIn(file, file.toString(), task);
    }

    private static <T> T callIn(Path file, String name, Callable<T> task) throws IOException {
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
