package dev.droptop.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.droptop.model.NetnsInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The resolver over a made-up /proc and /run/netns: names, pids, containers, the cache and its refresh. */
class NetnsResolverTest {
    private static final String ID = "3f2a9c0d1e4b5a6978877665544332211ffeeddccbbaa0099887766554433221";

    @TempDir
    Path dir;

    @Test
    void namesPidsAndContainersFromProcAndRunNetns() throws IOException {
        Path run = Files.createDirectories(dir.resolve("run"));
        Path proc = Files.createDirectories(dir.resolve("proc"));
        Path logs = Files.createDirectories(dir.resolve("pods"));
        Path named = Files.createFile(run.resolve("blue"));
        long blue = NetnsResolver.inode(named);
        process(proc, 1, 4026531840L, "systemd", "0::/init.scope\n");
        Files.createSymbolicLink(proc.resolve("self"), Path.of("1"));
        process(proc, 900, blue, "sleep", "0::/user.slice\n");
        process(proc, 77, blue, "bash", "0::/user.slice\n");
        process(proc, 500, 4026532300L, "nginx", "0::/kubepods.slice/kubepods-pod8d3c5f6e_1a2b_4c3d_9e8f_0a1b2c3d4e5f.slice/"
                + "cri-containerd-" + ID + ".scope\n");
        Files.createDirectories(logs.resolve("web_nginx-7f9_8d3c5f6e-1a2b-4c3d-9e8f-0a1b2c3d4e5f"));
        AtomicLong now = new AtomicLong();
        NetnsResolver r = new NetnsResolver(run, proc, logs, now::get, 1_000_000_000L);

        NetnsInfo b = r.find(blue);
        assertEquals("blue", b.label());
        assertEquals(77, b.pid());
        assertEquals("bash", b.comm());
        assertEquals("host", r.find(4026531840L).label());
        NetnsInfo pod = r.find(4026532300L);
        assertEquals("containerd", pod.runtime());
        assertEquals(ID, pod.container());
        assertEquals("web/nginx-7f9", pod.label());
        assertEquals(1, r.scans(), "one scan answers every inode it found");
        assertNull(r.find(0));

        // a new unknown inode rescans at once; asked again, at most once per second
        assertNull(r.find(4026532999L));
        assertEquals(2, r.scans(), "a new inode rescans");
        assertNull(r.find(4026532999L));
        assertEquals(2, r.scans(), "no rescan for the same inode within the second");
        now.addAndGet(2_000_000_000L);
        process(proc, 1200, 4026532999L, "iperf3", "0::/system.slice/docker-" + ID + ".scope\n");
        NetnsInfo fresh = r.find(4026532999L);
        assertEquals(3, r.scans());
        assertEquals("docker", fresh.runtime());
        assertEquals(ID.substring(0, 12), fresh.label());

        // a namespace that went away keeps the name it had
        Files.delete(named);
        for (int pid : new int[] {77, 900}) {
            Path p = proc.resolve(Integer.toString(pid));
            Files.delete(p.resolve("ns/net"));
            Files.delete(p.resolve("ns"));
            Files.delete(p.resolve("comm"));
            Files.delete(p.resolve("cgroup"));
            Files.delete(p);
        }
        now.addAndGet(2_000_000_000L);
        r.find(4026533000L);
        assertEquals(4, r.scans());
        assertEquals("blue", r.find(blue).label());
    }

    private static void process(Path proc, int pid, long netns, String comm, String cgroup) throws IOException {
        Path p = Files.createDirectories(proc.resolve(Integer.toString(pid)).resolve("ns")).getParent();
        Files.createSymbolicLink(p.resolve("ns/net"), Path.of("net:[" + netns + "]"));
        Files.writeString(p.resolve("comm"), comm + "\n");
        Files.writeString(p.resolve("cgroup"), cgroup);
    }
}
