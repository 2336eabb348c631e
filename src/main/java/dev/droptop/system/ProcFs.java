package dev.droptop.system;

import java.nio.file.Path;

/**
 * Where the readers find /proc: the live system, or a recorded copy under a test directory.
 * Live, {@code /proc/net} is read through {@code /proc/thread-self/net} so that a reader called on a
 * thread that entered another network namespace ({@link Netns}) sees that namespace.
 *
 * @param root the file system root ({@code /}, or {@code src/test/resources/fs/<case>})
 * @param threadSelf read {@code proc/thread-self/net} instead of {@code proc/net}
 */
public record ProcFs(Path root, boolean threadSelf) {
    public static ProcFs live() {
        return new ProcFs(Path.of("/"), true);
    }

    /** A recorded copy: {@code root/proc/net/...}, {@code root/proc/sys/...}. */
    public static ProcFs at(Path root) {
        return new ProcFs(root, false);
    }

    public Path net(String file) {
        return root.resolve(threadSelf ? "proc/thread-self/net" : "proc/net").resolve(file);
    }

    /** {@code /proc/sys/...}: per network namespace for the thread that opens it. */
    public Path sys(String file) {
        return root.resolve("proc/sys").resolve(file);
    }

    public Path proc(String file) {
        return root.resolve("proc").resolve(file);
    }

    public Path dev(String file) {
        return root.resolve("dev").resolve(file);
    }
}
