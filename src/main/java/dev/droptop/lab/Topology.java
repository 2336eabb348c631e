package dev.droptop.lab;

import dev.droptop.system.Netns;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * client --veth-- nat --veth-- server, each a network namespace {@code droptop-lab-<pid>-<role>}:
 * <pre>
 * client  c0 198.18.0.2/24, inside hosts 198.18.128.1.. (local route 198.18.128.0/17, AnyIP), default via nat
 * nat     n0 198.18.0.1/24 | n1 198.19.0.1/24, ip_forward=1, route 198.18.128.0/17 via 198.18.0.2
 * server  s0 198.19.0.2/24, default via nat
 * </pre>
 * With NAT, table {@code ip droptop-lab-nat} in nat: DNAT of tcp/udp port 8080 arriving on n0 to the
 * server and source NAT out of n1 to an outside pool 198.19.64.1.. sized by {@link Scale}, so every
 * session goes through conntrack; the client targets
 * 198.18.0.1. Without NAT (ip4base) the client targets the server directly and nat only routes (no
 * rule, so conntrack is not even hooked in that namespace). Closing deletes the namespaces, and with
 * them the veths and the table.
 */
public final class Topology implements AutoCloseable {
    public static final String PREFIX = "droptop-lab-";
    public static final String TABLE = "droptop-lab-nat";
    public static final int PORT = 8080;
    static final String NAT_IN = "198.18.0.1";
    static final String CLIENT = "198.18.0.2";
    static final String NAT_OUT = "198.19.0.1";
    static final String SERVER = "198.19.0.2";
    static final String INSIDE = "198.18.128.0/17";
    static final int INSIDE_BASE = (198 << 24) | (18 << 16) | (128 << 8);
    /** The NAT's outside pool starts after 198.19.64.0 (198.19.64.0/18). */
    static final int OUTSIDE_BASE = (198 << 24) | (19 << 16) | (64 << 8);
    static final int MAX_OUTSIDE = 16_000;

    private final String client;
    private final String nat;
    private final String server;
    private final boolean withNat;
    private final int outside;
    private final List<String> created = new ArrayList<>();

    private Topology(String tag, boolean withNat, int outside) {
        String p = PREFIX + ProcessHandle.current().pid() + "-" + tag;
        this.client = p + "-client";
        this.nat = p + "-nat";
        this.server = p + "-server";
        this.withNat = withNat;
        this.outside = outside;
    }

    /** Builds the topology; on failure removes what was made and throws. */
    public static Topology build(String tag, boolean withNat) throws IOException {
        return build(tag, withNat, 1);
    }

    /**
     * Builds the topology with {@code outside} addresses in the NAT's pool ({@link Scale#outsideAddresses});
     * on failure removes what was made and throws.
     */
    public static Topology build(String tag, boolean withNat, int outside) throws IOException {
        if (outside < 1 || outside > MAX_OUTSIDE) {
            throw new IllegalArgumentException("outside addresses must be 1.." + MAX_OUTSIDE + ", not " + outside);
        }
        Topology t = new Topology(tag, withNat, outside);
        try {
            t.create();
        } catch (IOException | RuntimeException e) {
            t.close();
            throw e;
        }
        return t;
    }

    private void create() throws IOException {
        for (String ns : List.of(client, nat, server)) {
            Shell.run("ip", "netns", "add", ns);
            created.add(ns);
            Shell.run("ip", "-n", ns, "link", "set", "lo", "up");
        }
        Shell.run("ip", "link", "add", "name", "c0", "netns", client, "type", "veth", "peer", "name", "n0", "netns", nat);
        Shell.run("ip", "link", "add", "name", "s0", "netns", server, "type", "veth", "peer", "name", "n1", "netns", nat);
        link(client, "c0", CLIENT);
        link(nat, "n0", NAT_IN);
        link(nat, "n1", NAT_OUT);
        link(server, "s0", SERVER);
        Shell.run("ip", "-n", client, "route", "add", "local", INSIDE, "dev", "lo");
        Shell.run("ip", "-n", client, "route", "add", "default", "via", NAT_IN);
        Shell.run("ip", "-n", server, "route", "add", "default", "via", NAT_OUT);
        Shell.run("ip", "-n", nat, "route", "add", INSIDE, "via", CLIENT);
        Shell.run("ip", "netns", "exec", nat, "sysctl", "-qw", "net.ipv4.ip_forward=1");
        if (withNat) {
            Shell.run(List.of("ip", "netns", "exec", nat, "nft", "-f", "-"), ruleset(outside));
        }
    }

    private static void link(String ns, String dev, String addr) throws IOException {
        Shell.run("ip", "-n", ns, "addr", "add", addr + "/24", "dev", dev);
        Shell.run("ip", "-n", ns, "link", "set", dev, "up");
    }

    /** The NAT ruleset with one outside address (198.19.64.1). */
    static String ruleset() {
        return ruleset(1);
    }

    /**
     * DNAT of the lab port to the server, and source NAT out of n1 to the pool 198.19.64.1..N (the
     * server routes it back to nat by its default route, so nothing needs to answer ARP for it).
     */
    static String ruleset(int outside) {
        return "table ip " + TABLE + " {\n"
                + "  chain prerouting {\n    type nat hook prerouting priority dstnat; policy accept;\n"
                + "    iifname \"n0\" meta l4proto { tcp, udp } th dport " + PORT + " dnat to " + SERVER + ":" + PORT
                + "\n  }\n"
                + "  chain postrouting {\n    type nat hook postrouting priority srcnat; policy accept;\n"
                + "    oifname \"n1\" snat to " + pool(outside) + "\n  }\n}\n";
    }

    /** {@code 198.19.64.1} or {@code 198.19.64.1-198.19.64.32}. */
    static String pool(int outside) {
        String first = address(OUTSIDE_BASE + 1).getHostAddress();
        return outside == 1 ? first : first + "-" + address(OUTSIDE_BASE + outside).getHostAddress();
    }

    public String client() {
        return client;
    }

    public String nat() {
        return nat;
    }

    public String server() {
        return server;
    }

    public boolean withNat() {
        return withNat;
    }

    /** Where the client sends: the NAT's inside address (DNAT) or the server itself (ip4base). */
    public InetAddress target() throws UnknownHostException {
        return InetAddress.getByName(withNat ? NAT_IN : SERVER);
    }

    static InetAddress clientAddress() throws UnknownHostException {
        return InetAddress.getByName(CLIENT);
    }

    public InetAddress serverAddress() throws UnknownHostException {
        return InetAddress.getByName(SERVER);
    }

    /** Inside host {@code i} (0-based): 198.18.128.1 + i. */
    static InetAddress inside(int i) {
        return address(INSIDE_BASE + 1 + i);
    }

    private static InetAddress address(int a) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Deletes the namespaces (veths and nft table go with them). Idempotent; reports leftovers. */
    @Override
    public void close() throws IOException {
        IOException first = null;
        for (int i = created.size() - 1; i >= 0; i--) {
            String ns = created.get(i);
            try {
                if (Netns.exists(ns)) {
                    Shell.run("ip", "netns", "del", ns);
                }
            } catch (IOException e) {
                first = first == null ? new IOException("could not delete netns " + ns + ": " + e.getMessage()) : first;
            }
        }
        created.clear();
        if (first != null) {
            throw first;
        }
    }
}
