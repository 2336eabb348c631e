package dev.droptop.system;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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

    /**
     * A /proc or /sys file whole, read from offset 0 in 8 KiB reads. Not {@code Files.readString}: it
     * sees size 0 and reads 1 byte first, and sysctl files answer EOF to any read at a non-zero offset,
     * so it returns "2" of nf_conntrack_max 262144 and "6" of kernel release 6.18.44.
     */
    public static String text(Path file) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        byte[] buf = new byte[8192];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buf); n > 0; n = in.read(buf)) {
                out.write(buf, 0, n);
                if (out.size() > 1 << 20) {
                    throw new IOException(file + ": more than 1 MiB");
                }
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** A sysctl-style file holding one integer, read as {@link #text} does. */
    public static long number(Path file) throws IOException {
        String s = text(file).trim();
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IOException(file + ": not a number: " + (s.length() > 40 ? s.substring(0, 40) : s));
        }
    }

    public Path dev(String file) {
        return root.resolve("dev").resolve(file);
    }
}
