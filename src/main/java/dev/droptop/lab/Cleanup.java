package dev.droptop.lab;

import dev.droptop.system.Netns;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code droptop lab cleanup}: removes what a killed run left — network namespaces and nft tables
 * (in droptop's namespace) named {@code droptop-lab-*} whose run is no longer alive, and the
 * nf_conntrack_max recorded in {@link ConntrackMax#STATE}.
 */
public final class Cleanup {
    private Cleanup() {
    }

    /** Cleans up and returns one line per thing done or left (a run still alive is left alone). */
    public static List<String> run() throws IOException {
        List<String> done = new ArrayList<>();
        restoreLeftState().ifPresent(done::add);
        for (String ns : namespaces()) {
            if (ownerAlive(ns)) {
                done.add("left netns " + ns + ": its run (pid " + ownerPid(ns) + ") is still alive");
                continue;
            }
            Shell.run("ip", "netns", "del", ns);
            done.add("deleted netns " + ns);
        }
        for (String table : tables()) {
            Shell.run("nft", "delete", "table", "ip", table);
            done.add("deleted nft table ip " + table);
        }
        return done;
    }

    /**
     * Restores nf_conntrack_max from a state file whose run is dead and deletes the file; empty when
     * there is none. Throws when the run that wrote it is alive.
     */
    static Optional<String> restoreLeftState() throws IOException {
        if (!Files.exists(ConntrackMax.STATE)) {
            return Optional.empty();
        }
        long value = -1;
        long buckets = 0;
        long pid = -1;
        for (String line : Files.readAllLines(ConntrackMax.STATE)) {
            if (line.startsWith("nf_conntrack_max=")) {
                value = Long.parseLong(line.substring(17).trim());
            } else if (line.startsWith("nf_conntrack_buckets=")) {
                buckets = Long.parseLong(line.substring(21).trim());
            } else if (line.startsWith("pid=")) {
                pid = Long.parseLong(line.substring(4).trim());
            }
        }
        if (pid > 0 && pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).map(ProcessHandle::isAlive)
                .orElse(false)) {
            throw new IOException("another lab run (pid " + pid + ") holds " + ConntrackMax.STATE);
        }
        if (value < 1) {
            throw new IOException(ConntrackMax.STATE + ": no nf_conntrack_max=N line");
        }
        if (buckets > 0) {
            ConntrackMax.writeBuckets(buckets);
        }
        ConntrackMax.write(value);
        Files.delete(ConntrackMax.STATE);
        return Optional.of("restored nf_conntrack_max=" + value + (buckets > 0 ? " nf_conntrack_buckets=" + buckets : "")
                + " left by a killed run (pid " + pid + ")");
    }

    /** Namespaces named droptop-lab-*. */
    public static List<String> namespaces() throws IOException {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(Netns.RUN_NETNS)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Netns.RUN_NETNS, Topology.PREFIX + "*")) {
            ds.forEach(p -> out.add(p.getFileName().toString()));
        }
        return out;
    }

    /** nft tables of family ip named droptop-lab-* in droptop's own namespace. */
    public static List<String> tables() throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Shell.run("nft", "list", "tables").split("\n")) {
            String[] w = line.trim().split("\\s+");
            if (w.length == 3 && w[0].equals("table") && w[1].equals("ip") && w[2].startsWith(Topology.PREFIX)) {
                out.add(w[2]);
            }
        }
        return out;
    }

    private static long ownerPid(String ns) {
        String rest = ns.substring(Topology.PREFIX.length());
        int dash = rest.indexOf('-');
        try {
            return Long.parseLong(dash < 0 ? rest : rest.substring(0, dash));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static boolean ownerAlive(String ns) {
        long pid = ownerPid(ns);
        return pid > 0 && pid != ProcessHandle.current().pid()
                && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
