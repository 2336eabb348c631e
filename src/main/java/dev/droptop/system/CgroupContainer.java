package dev.droptop.system;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The container a process runs in, read from the text of {@code /proc/PID/cgroup}. Covers the
 * documented layouts: Docker ({@code /docker/ID} with the cgroupfs driver, {@code docker-ID.scope}
 * with systemd), containerd ({@code cri-containerd-ID.scope}, nerdctl's {@code nerdctl-ID.scope},
 * {@code /default/ID}), CRI-O ({@code crio-ID.scope}, {@code crio-conmon-ID.scope} is the monitor, not a
 * container), Podman ({@code libpod-ID.scope}), and Kubernetes pods
 * ({@code kubepods[-QOS]-pod<UID>.slice} with "_" for "-" under systemd, {@code /kubepods/QOS/pod<UID>/}
 * with cgroupfs), on cgroup v1 and v2.
 *
 * @param runtime docker, containerd, crio, podman, or "kubernetes" for a bare id under kubepods; null if none
 * @param id the 64-hex-digit container id, or null
 * @param pod the pod UID with dashes, or null
 */
public record CgroupContainer(String runtime, String id, String pod) {
    public static final CgroupContainer NONE = new CgroupContainer(null, null, null);

    private static final Pattern SCOPE = Pattern.compile(
            "(?:^|/)(docker|cri-containerd|crio|libpod|nerdctl)-([0-9a-f]{64})\\.scope(?:/|$)");
    private static final Pattern BARE = Pattern.compile("(?:^|/)([0-9a-f]{64})(?:/|$)");
    private static final Pattern POD = Pattern.compile(
            "pod([0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12})(?:\\.slice)?(?:/|$)");

    /** Parses every line of a {@code /proc/PID/cgroup} file; the first line naming a container wins. */
    public static CgroupContainer parse(String cgroupFile) {
        CgroupContainer best = NONE;
        for (String line : cgroupFile.split("\n")) {
            // hierarchy-ID:controllers:path; the path may itself contain ':'
            int a = line.indexOf(':');
            int b = a < 0 ? -1 : line.indexOf(':', a + 1);
            if (b < 0) {
                continue;
            }
            CgroupContainer c = ofPath(line.substring(b + 1).trim());
            if (c.id() != null) {
                return c;
            }
            if (best.pod() == null && c.pod() != null) {
                best = c;
            }
        }
        return best;
    }

    /** One cgroup path, e.g. {@code /system.slice/docker-<id>.scope}. */
    public static CgroupContainer ofPath(String path) {
        String pod = null;
        Matcher p = POD.matcher(path);
        if (p.find()) {
            pod = p.group(1).replace('_', '-');
        }
        Matcher m = SCOPE.matcher(path);
        if (m.find()) {
            return new CgroupContainer(runtime(m.group(1)), m.group(2), pod);
        }
        Matcher bare = BARE.matcher(path);
        String id = null;
        while (bare.find()) {
            id = bare.group(1); // innermost
        }
        if (id != null) {
            String runtime = path.startsWith("/docker/") || path.contains("/docker/") ? "docker"
                    : pod != null ? "kubernetes" : path.startsWith("/default/") ? "containerd" : null;
            return new CgroupContainer(runtime, id, pod);
        }
        return new CgroupContainer(null, null, pod);
    }

    private static String runtime(String prefix) {
        return switch (prefix) {
            case "docker" -> "docker";
            case "cri-containerd", "nerdctl" -> "containerd";
            case "crio" -> "crio";
            case "libpod" -> "podman";
            default -> prefix;
        };
    }
}
