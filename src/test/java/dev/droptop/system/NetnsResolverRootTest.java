package dev.droptop.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.droptop.model.NetnsInfo;
import dev.droptop.testing.KernelTest;
import dev.droptop.testing.TestNetns;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Real namespaces: one made with {@code ip netns add}, one held only by an {@code unshare --net} process. */
@Tag("root")
class NetnsResolverRootTest {
    @Test
    void namesIpNetnsAndUnsharedProcesses() throws Exception {
        KernelTest.assumeRootAndNetns();
        KernelTest.assumeTool("unshare", "util-linux");
        try (TestNetns ns = TestNetns.create("names")) {
            long named = NetnsResolver.inode(Path.of("/run/netns", ns.name()));
            assertNotEquals(0, named);
            Process p = new ProcessBuilder("unshare", "--net", "sleep", "60").start();
            try {
                Path link = Path.of("/proc", Long.toString(p.pid()), "ns/net");
                long self = NetnsResolver.nsInode(Path.of("/proc/self/ns/net"));
                long unshared = 0;
                // unshare execs sleep after unsharing: wait until the pid is in a namespace of its own
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (System.nanoTime() < deadline && p.isAlive()) {
                    unshared = NetnsResolver.nsInode(link);
                    if (unshared != 0 && unshared != self && "sleep".equals(comm(p.pid()))) {
                        break;
                    }
                    Thread.onSpinWait();
                }
                assertTrue(unshared != 0 && unshared != self, "unshare --net gave the process its own netns");
                NetnsResolver r = NetnsResolver.live();
                assertEquals(ns.name(), r.find(named).label());
                NetnsInfo u = r.find(unshared);
                assertEquals(p.pid(), u.pid());
                assertEquals("sleep", u.comm());
                assertEquals("inode:" + unshared, u.label());
                assertEquals("host", r.find(self).label());
            } finally {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static String comm(long pid) {
        try {
            return java.nio.file.Files.readString(Path.of("/proc", Long.toString(pid), "comm")).strip();
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
