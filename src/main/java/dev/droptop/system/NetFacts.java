package dev.droptop.system;

import dev.droptop.model.NetKeys;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The network counters and sysctls the reason rules read ({@link NetKeys}), from the network
 * namespace of the calling thread: call it inside {@link Netns#call} to read another namespace.
 * Cheap (a few small /proc files) and never throws: what cannot be read is left out.
 */
public final class NetFacts {
    /** More devices than this (a host with thousands of veths) keep only all/default forwarding. */
    private static final int MAX_DEVICES = 64;

    /** Sysctls that exist only in the initial namespace: kept from droptop's own when reading another. */
    private static final List<String> GLOBAL = List.of(NetKeys.SYSCTL + "net.ipv4.neigh.default.",
            NetKeys.SYSCTL + "net.ipv4.tcp_mem.", NetKeys.SYSCTL + "net.ipv4.udp_mem.",
            NetKeys.SYSCTL + "net.core.rmem_max");

    private NetFacts() {
    }

    /**
     * The facts of another namespace ({@code theirs}) with the global sysctls taken from droptop's own
     * ({@code ours}); nothing else of ours stays (our devices are not theirs).
     */
    public static Map<String, Long> overlay(Map<String, Long> ours, Map<String, Long> theirs) {
        Map<String, Long> m = new LinkedHashMap<>();
        ours.forEach((k, v) -> {
            if (GLOBAL.stream().anyMatch(k::startsWith)) {
                m.put(k, v);
            }
        });
        m.putAll(theirs);
        return m;
    }

    public static Map<String, Long> read(ProcFs fs) {
        Map<String, Long> m = new LinkedHashMap<>();
        inode(fs, m);
        snmp(fs, m);
        xfrm(fs, m);
        sockstat(fs, m);
        neighbours(fs, m);
        defaultRoutes(fs, m);
        sysctls(fs, m);
        return m;
    }

    private static void inode(ProcFs fs, Map<String, Long> m) {
        try {
            Object ino = Files.getAttribute(fs.proc(fs.threadSelf() ? "thread-self/ns/net" : "self/ns/net"),
                    "unix:ino");
            m.put(NetKeys.NETNS, ((Number) ino).longValue());
        } catch (IOException | RuntimeException e) {
            // not Linux, or no /proc: leave it out
        }
    }

    private static void snmp(ProcFs fs, Map<String, Long> m) {
        Map<String, Long> all = new LinkedHashMap<>();
        for (String file : List.of("snmp", NetStat.FILE)) {
            try {
                all.putAll(NetStat.parse(Files.readAllLines(fs.net(file))));
            } catch (IOException | RuntimeException e) {
                // missing file: its counters stay out
            }
        }
        for (String k : NetKeys.SNMP_COUNTERS) {
            Long v = all.get(k);
            if (v != null) {
                m.put(NetKeys.snmp(k), v);
            }
        }
    }

    /** {@code XfrmInPolBlock          \t50} lines. */
    private static void xfrm(ProcFs fs, Map<String, Long> m) {
        for (String line : lines(fs.net("xfrm_stat"))) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 2 && NetKeys.XFRM_COUNTERS.contains(f[0])) {
                putNumber(m, NetKeys.XFRM + f[0], f[1]);
            }
        }
    }

    /** {@code TCP: inuse 5 orphan 0 tw 0 alloc 6 mem 1}, {@code FRAG: inuse 0 memory 0}. */
    private static void sockstat(ProcFs fs, Map<String, Long> m) {
        for (String line : lines(fs.net("sockstat"))) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 3 || !f[0].endsWith(":")) {
                continue;
            }
            String proto = f[0].substring(0, f[0].length() - 1);
            for (int i = 1; i + 1 < f.length; i += 2) {
                if (f[i].equals("mem") || f[i].equals("memory")) {
                    putNumber(m, NetKeys.SOCKSTAT + proto + "." + f[i], f[i + 1]);
                }
            }
        }
    }

    /** /proc/net/arp: one line per IPv4 neighbour; flags 0x0 is an entry not (or no longer) resolved. */
    private static void neighbours(ProcFs fs, Map<String, Long> m) {
        List<String> lines = lines(fs.net("arp"));
        if (lines.isEmpty()) {
            return;
        }
        long entries = 0;
        long unresolved = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 6) {
                entries++;
                unresolved += f[2].equals("0x0") ? 1 : 0;
            }
        }
        m.put(NetKeys.NEIGH_ENTRIES, entries);
        m.put(NetKeys.NEIGH_UNRESOLVED, unresolved);
    }

    /** /proc/net/route: {@code Iface Destination Gateway Flags RefCnt Use Metric Mask ...}, hex fields. */
    private static void defaultRoutes(ProcFs fs, Map<String, Long> m) {
        List<String> lines = lines(fs.net("route"));
        if (lines.isEmpty()) {
            return;
        }
        long n = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 8 && f[1].equals("00000000") && f[7].equals("00000000")) {
                n++;
            }
        }
        m.put(NetKeys.DEFAULT_ROUTES, n);
    }

    private static void sysctls(ProcFs fs, Map<String, Long> m) {
        for (String name : NetKeys.SYSCTLS) {
            sysctl(fs, name, m);
        }
        for (String name : NetKeys.TRIPLE_SYSCTLS) {
            try {
                String[] f = ProcFs.text(fs.sys(name.replace('.', '/'))).trim().split("\\s+");
                for (int i = 0; i < Math.min(3, f.length); i++) {
                    putNumber(m, NetKeys.sysctl(name) + "." + NetKeys.TRIPLE_PARTS.get(i), f[i]);
                }
            } catch (IOException e) {
                // not in this kernel or namespace
            }
        }
        perDevice(fs, "net/ipv4/conf", List.of("forwarding"), m);
        perDevice(fs, "net/ipv4/neigh", NetKeys.NEIGH_PARAMS, m);
    }

    /** {@code sysctl.net.ipv4.conf.DEV.forwarding} for each device directory (bounded). */
    private static void perDevice(ProcFs fs, String dir, List<String> params, Map<String, Long> m) {
        try (DirectoryStream<Path> devs = Files.newDirectoryStream(fs.sys(dir))) {
            int n = 0;
            for (Path d : devs) {
                String dev = d.getFileName().toString();
                if (n++ >= MAX_DEVICES && !dev.equals("all") && !dev.equals("default")) {
                    continue;
                }
                for (String param : params) {
                    try {
                        m.put(NetKeys.SYSCTL + dir.replace('/', '.') + "." + dev + "." + param,
                                ProcFs.number(d.resolve(param)));
                    } catch (IOException e) {
                        // absent for this device
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // no such directory in this namespace
        }
    }

    private static void sysctl(ProcFs fs, String name, Map<String, Long> m) {
        try {
            m.put(NetKeys.sysctl(name), ProcFs.number(fs.sys(name.replace('.', '/'))));
        } catch (IOException e) {
            // absent in this kernel or namespace
        }
    }

    private static void putNumber(Map<String, Long> m, String key, String value) {
        try {
            m.put(key, Long.parseLong(value));
        } catch (NumberFormatException e) {
            // not a number: leave it out
        }
    }

    private static List<String> lines(Path p) {
        try {
            return List.of(ProcFs.text(p).split("\n"));
        } catch (IOException e) {
            return List.of();
        }
    }
}
