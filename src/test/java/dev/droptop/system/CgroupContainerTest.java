package dev.droptop.system;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each runtime's cgroup layout (hand-written fixtures of the documented layouts) maps to its container. */
class CgroupContainerTest {
    private static final String ID = "3f2a9c0d1e4b5a6978877665544332211ffeeddccbbaa0099887766554433221";
    private static final String POD = "8d3c5f6e-1a2b-4c3d-9e8f-0a1b2c3d4e5f";

    @ParameterizedTest
    @CsvSource(nullValues = "-", value = {
            "docker-systemd-v2, docker, true, -",
            "docker-cgroupfs-v1, docker, true, -",
            "k8s-containerd-systemd-v2, containerd, true, pod",
            "k8s-containerd-cgroupfs-v1, kubernetes, true, pod",
            "k8s-crio-systemd-v2, crio, true, pod",
            "k8s-crio-conmon-v2, -, false, pod",
            "podman-rootless-v2, podman, true, -",
            "containerd-cgroupfs-v2, containerd, true, -",
            "host-session-v2, -, false, -"})
    void fixtureMapsToItsContainer(String fixture, String runtime, boolean hasId, String pod) throws IOException {
        CgroupContainer c = CgroupContainer.parse(fixture(fixture));
        assertEquals(runtime, c.runtime(), fixture);
        assertEquals(hasId ? ID : null, c.id(), fixture);
        assertEquals(pod == null ? null : POD, c.pod(), fixture);
    }

    private static String fixture(String name) throws IOException {
        try (InputStream in = CgroupContainerTest.class.getResourceAsStream("cgroup/" + name + ".fixture.cgroup")) {
            if (in == null) {
                throw new IOException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
