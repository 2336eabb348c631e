package dev.droptop.system;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Names for network namespace inodes, as a reader would know them: the names of {@code ip netns}
 * ({@code /run/netns/NAME} bind mounts), {@code init_net} for the namespace of PID 1, else the
 * kernel's own {@code net:[INODE]}. Re-reads {@code /run/netns} for an unknown inode at most once a
 * second (namespaces come and go during a run).
 */
public final class NetnsNames {
    private static final long RESCAN_NANOS = 1_000_000_000L;
    private final Path runNetns;
    private final Path initNs;
    private final Map<Long, String> names = new HashMap<>();
    private long lastScan;
    private boolean scanned;

    public NetnsNames() {
        this(Netns.RUN_NETNS, Path.of("/proc/1/ns/net"));
    }

    NetnsNames(Path runNetns, Path initNs) {
        this.runNetns = runNetns;
        this.initNs = initNs;
    }

    /** The name of the namespace with this inode; "" for inode 0 (no device). */
    public synchronized String name(long inode) {
        if (inode == 0) {
            return "";
        }
        String n = names.get(inode);
        if (n == null && (!scanned || System.nanoTime() - lastScan >= RESCAN_NANOS)) {
            scan();
            n = names.get(inode);
        }
        return n != null ? n : "net:[" + inode + "]";
    }

    private void scan() {
        lastScan = System.nanoTime();
        scanned = true;
        Long init = inode(initNs);
        if (init != null) {
            names.putIfAbsent(init, "init_net");
        }
        if (!Files.isDirectory(runNetns)) {
            return;
        }
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(runNetns)) {
            for (Path p : dir) {
                Long ino = inode(p);
                if (ino != null) {
                    names.put(ino, p.getFileName().toString());
                }
            }
        } catch (IOException e) {
            // unreadable: inodes stay as net:[N]
        }
    }

    private static Long inode(Path p) {
        try {
            Object ino = Files.getAttribute(p, "unix:ino");
            return ino instanceof Long l ? l : null;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException e) {
            return null;
        }
    }
}
