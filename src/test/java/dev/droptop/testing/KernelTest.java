package dev.droptop.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Preconditions of tests that run against the real kernel. On a Linux machine as root (the CI
 * machine, a developer VM) they hold and the tests run; elsewhere the test is skipped with the reason.
 */
public final class KernelTest {
    private KernelTest() {
    }

    public static boolean isRoot() {
        try {
            return "0".equals(new String(new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes()).trim());
        } catch (Exception e) {
            return false;
        }
    }

    /** Skips unless root on Linux with network namespaces. */
    public static void assumeRootAndNetns() {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "needs Linux: kernel drop tracing");
        assumeTrue(isRoot(), "needs root: creates network namespaces and traces the kernel (run bin/test as root)");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip"))
                || Files.isExecutable(Path.of("/usr/bin/ip")), "needs iproute2 (ip); bin/test installs it");
    }

    /** Skips unless tracefs with the kfree_skb tracepoint is mounted. */
    public static void assumeTracefs() {
        assumeRootAndNetns();
        assumeTrue(Files.exists(Path.of("/sys/kernel/tracing/events/skb/kfree_skb/format")),
                "needs tracefs at /sys/kernel/tracing with skb:kfree_skb (bin/test mounts it)");
    }

    /** Skips unless {@code tool} is on the PATH. */
    public static void assumeTool(String tool, String debianPackage) {
        assumeTrue(onPath(tool), "needs " + tool + " (Debian package " + debianPackage + "; bin/test installs it)");
    }

    public static boolean onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        for (String dir : path.split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** The project directory (surefire sets droptop.project.dir). */
    public static Path projectDir() {
        return Path.of(System.getProperty("droptop.project.dir", System.getProperty("user.dir")));
    }
}
