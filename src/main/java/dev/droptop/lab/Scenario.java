package dev.droptop.lab;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One lab scenario, CSIT style: {@code eth ip4 tcp - nat44ed - h1024 - p63 - s64512 - cps} is TCP
 * connections per second through stateful NAT from 1024 inside hosts × 63 source ports each (64512
 * sessions); {@code ip4base} is the same topology routed without NAT.
 *
 * @param profile TCP CPS (connect, confirm, close), UDP CPS (one request, one reply), or TCP/UDP TPUT
 *     (sessions set up in a ramp-up, then packets both ways on them)
 * @param nat nat44ed (DNAT + masquerade through conntrack) or ip4base (routing only)
 * @param hosts inside addresses on the client side
 * @param portsPerHost source ports each inside address uses
 */
public record Scenario(Profile profile, boolean nat, int hosts, int portsPerHost) {
    public static final int MAX_HOSTS = 16_384;
    public static final int MAX_PORTS = 50_000;
    public static final long MAX_SESSIONS = Scale.MAX_SESSIONS;
    private static final Pattern NAME = Pattern.compile(
            "ethip4(tcp|udp)-(nat44ed|ip4base)-h(\\d{1,7})-p(\\d{1,6})-s(\\d{1,10})-(cps|tput)");

    /** The load profile. */
    public enum Profile {
        TCP_CPS("tcp", "cps"), UDP_CPS("udp", "cps"), TCP_TPUT("tcp", "tput"), UDP_TPUT("udp", "tput");

        private final String proto;
        private final String kind;

        Profile(String proto, String kind) {
            this.proto = proto;
            this.kind = kind;
        }

        public String proto() {
            return proto;
        }

        /** {@code cps} or {@code tput}. */
        public String kind() {
            return kind;
        }

        public boolean tcp() {
            return proto.equals("tcp");
        }

        /** Throughput: sessions set up in a ramp-up, then packets both ways on them. */
        public boolean tput() {
            return kind.equals("tput");
        }

        /** {@code tcp-cps}, {@code udp-cps}, {@code tcp-tput} or {@code udp-tput}. */
        public String label() {
            return proto + "-" + kind;
        }

        public static Profile of(String proto, String kind) {
            return parse(proto + "-" + kind);
        }

        /** {@code tcp-cps}, {@code udp-cps}, {@code tcp-tput} or {@code udp-tput}. */
        public static Profile parse(String s) {
            for (Profile p : values()) {
                if (p.label().equals(s)) {
                    return p;
                }
            }
            throw new IllegalArgumentException("profile must be tcp-cps, udp-cps, tcp-tput or udp-tput, not " + s);
        }
    }

    public Scenario {
        if (hosts >= 1 && portsPerHost >= 1) {
            new Scale((long) hosts * portsPerHost).check();
        }
        if (hosts < 1 || hosts > MAX_HOSTS) {
            throw new IllegalArgumentException("hosts must be 1.." + MAX_HOSTS + ", not " + hosts);
        }
        if (portsPerHost < 1 || portsPerHost > MAX_PORTS) {
            throw new IllegalArgumentException("ports per host must be 1.." + MAX_PORTS + ", not " + portsPerHost);
        }
        if ((long) hosts * portsPerHost > MAX_SESSIONS) {
            throw new IllegalArgumentException("hosts x ports = " + (long) hosts * portsPerHost + " sessions; at most "
                    + MAX_SESSIONS);
        }
    }

    /**
     * Parses a CSIT-style name and checks that S = H × P.
     *
     * @throws IllegalArgumentException with a one-line reason
     */
    public static Scenario parse(String name) {
        Matcher m = NAME.matcher(name == null ? "" : name);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a lab scenario name: " + name
                    + " (expected e.g. ethip4tcp-nat44ed-h1024-p63-s64512-cps or ethip4udp-ip4base-h64-p16-s1024-cps)");
        }
        int h = Integer.parseInt(m.group(3));
        int p = Integer.parseInt(m.group(4));
        long s = Long.parseLong(m.group(5));
        if ((long) h * p != s) {
            throw new IllegalArgumentException(name + ": s" + s + " is not h" + h + " x p" + p + " = " + (long) h * p);
        }
        new Scale(s).check();
        return new Scenario(Profile.of(m.group(1), m.group(6)), m.group(2).equals("nat44ed"), h, p);
    }

    public long sessions() {
        return (long) hosts * portsPerHost;
    }

    public Scale scale() {
        return new Scale(sessions());
    }

    /** The same load without NAT. */
    public Scenario base() {
        return new Scenario(profile, false, hosts, portsPerHost);
    }

    public String name() {
        return String.format(Locale.ROOT, "ethip4%s-%s-h%d-p%d-s%d-%s", profile.proto(), nat ? "nat44ed" : "ip4base",
                hosts, portsPerHost, sessions(), profile.kind());
    }

    @Override
    public String toString() {
        return name();
    }
}
