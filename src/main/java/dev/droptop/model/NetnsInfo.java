package dev.droptop.model;

/**
 * What droptop knows about one network namespace, found by its inode: the {@code ip netns} name, a
 * process inside it and that process's container. Any part may be unknown (null, pid 0).
 *
 * @param inode the namespace's nsfs inode ({@code ls -l /proc/PID/ns/net}), as the bpftrace backend reports it
 * @param name the {@code ip netns} name (a bind mount under /run/netns), or null
 * @param pid a process in the namespace (the lowest pid), or 0
 * @param comm that process's command name, or null
 * @param runtime container runtime seen in the process's cgroup path (docker, containerd, crio, podman), or null
 * @param container the container id (64 hex digits), or null
 * @param pod the Kubernetes pod UID, or null
 * @param podName the pod name ({@code namespace/name}) where the node shows it without an API server, or null
 * @param host the namespace droptop itself runs in (normally the host's), labelled {@code host}
 */
public record NetnsInfo(long inode, String name, int pid, String comm, String runtime, String container,
                        String pod, String podName, boolean host) {

    /**
     * A short stable label: the {@code ip netns} name, {@code host}, the pod name, the container's
     * first 12 hex digits, or {@code inode:N}. Used for the Prometheus {@code netns} label and table columns.
     */
    public String label() {
        if (name != null) {
            return name;
        }
        if (host()) {
            return "host";
        }
        if (podName != null) {
            return podName;
        }
        if (container != null) {
            return container.substring(0, Math.min(12, container.length()));
        }
        return "inode:" + inode;
    }

    /** One line for people: {@code ns1 (inode 4026532177, pid 812 sleep, docker 3f2a...)}. */
    public String describe() {
        StringBuilder b = new StringBuilder(label()).append(" (inode ").append(inode);
        if (pid > 0) {
            b.append(", pid ").append(pid).append(comm == null ? "" : " " + comm);
        }
        if (container != null) {
            b.append(", ").append(runtime == null ? "container" : runtime).append(' ').append(container, 0,
                    Math.min(12, container.length()));
        }
        if (pod != null) {
            b.append(", pod ").append(podName != null ? podName : pod);
        }
        return b.append(')').toString();
    }

    public static NetnsInfo unnamed(long inode) {
        return new NetnsInfo(inode, null, 0, null, null, null, null, null, false);
    }
}
