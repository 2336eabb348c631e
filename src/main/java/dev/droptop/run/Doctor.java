package dev.droptop.run;

import dev.droptop.source.Availability;
import dev.droptop.source.Backend;
import dev.droptop.source.Backends;
import dev.droptop.system.HostFacts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code droptop doctor}: the kernel facts that matter and, per backend, works or why not, as the
 * lines (or the JSON) the command prints. On the CI machine (the perf and tracefs lines read "not part
 * of this build" until their branch is merged):
 * <pre>
 * kernel      6.18.44-fc-v657
 * user        root (euid 0)
 * tracefs     mounted at /sys/kernel/tracing
 * BTF         present (/sys/kernel/btf/vmlinux)
 * tracepoint  skb:kfree_skb with a reason field (127 reasons)
 * modules     cannot be loaded (no /proc/modules)
 *
 * bpftrace    works (bpftrace v0.17.0, BTF, reasons from /sys/kernel/tracing)
 * stap        does not work: this kernel cannot load kernel modules (no /proc/modules), which SystemTap
 *             needs (fix: use --backend bpftrace, perf or tracefs)
 * </pre>
 */
public final class Doctor {
    private Doctor() {
    }

    /** Every backend's check here, in {@code Backends.all()} order. */
    public static Map<String, Availability> checks() {
        Map<String, Availability> checks = new LinkedHashMap<>();
        for (Backend b : Backends.all()) {
            checks.put(b.name(), b.check());
        }
        return checks;
    }

    /** The facts, the backends and what reads packets, one {@code NAME  VALUE} line each (blank lines between). */
    public static List<String> text(HostFacts host, Map<String, Availability> checks) {
        List<String> lines = new ArrayList<>();
        facts(host).forEach((k, v) -> lines.add(String.format("%-11s %s", k, v)));
        lines.add("");
        checks.forEach((name, a) -> lines.add(String.format("%-11s %s", name, verdict(a))));
        lines.add("");
        lines.add(String.format("%-11s %s", "packets", packets(checks)));
        return lines;
    }

    /** The same as one {@code droptop-doctor/1} JSON object. */
    public static String json(HostFacts host, Map<String, Availability> checks) {
        StringBuilder sb = new StringBuilder("{\"schema\":\"droptop-doctor/1\",");
        facts(host).forEach((k, v) -> sb.append(quote(k.toLowerCase())).append(':').append(orNull(v)).append(','));
        sb.append("\"backends\":[");
        checks.forEach((name, a) -> sb.append("{\"name\":").append(quote(name)).append(",\"works\":").append(a.works())
                .append(",\"reason\":").append(orNull(a.reason())).append(",\"fix\":").append(orNull(a.fix()))
                .append(",\"detail\":").append(orNull(a.detail())).append("},"));
        if (!checks.isEmpty()) {
            sb.setLength(sb.length() - 1);
        }
        sb.append("],\"packets\":").append(quote(packets(checks)));
        return sb.append("}").toString();
    }

    /**
     * Which backends can read the dropped packets themselves (--flows, --pcap): only bpftrace, which
     * follows skb->head through BTF; the others see the tracepoint's fields, which hold no packet bytes.
     */
    public static String packets(Map<String, Availability> checks) {
        Availability bpf = checks.get("bpftrace");
        String others = "perf, perf-native, tracefs and stap cannot: the skb:kfree_skb tracepoint's fields hold no"
                + " packet bytes";
        return (bpf != null && bpf.works() ? "--flows and --pcap work with bpftrace (headers read from skb->head via BTF); "
                : "--flows and --pcap need bpftrace, which does not work here; ") + others;
    }

    /** A JSON string, or null when empty (unknown or not applicable), as in every droptop JSON output. */
    private static String orNull(String s) {
        return s == null || s.isEmpty() ? "null" : quote(s);
    }

    /** {@code works (detail)} or {@code does not work: reason (fix: fix)}. */
    public static String verdict(Availability a) {
        if (a.works()) {
            return a.detail().isEmpty() ? "works" : "works (" + a.detail() + ")";
        }
        return "does not work: " + a.reason() + (a.fix().isEmpty() ? "" : " (fix: " + a.fix() + ")");
    }

    private static Map<String, String> facts(HostFacts h) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("kernel", h.release());
        f.put("user", h.isRoot() ? "root (euid 0)" : "not root (euid " + h.euid() + "): tracing needs root");
        f.put("tracefs", h.tracefs() != null ? "mounted at " + h.tracefs()
                : "not mounted (mount -t tracefs nodev /sys/kernel/tracing)");
        f.put("BTF", h.btf() ? "present (/sys/kernel/btf/vmlinux)" : "missing (no /sys/kernel/btf/vmlinux)");
        f.put("tracepoint", h.tracefs() == null ? "skb:kfree_skb not visible (tracefs)"
                : h.reasonField() ? "skb:kfree_skb with a reason field (" + h.reasonNames() + " reasons)"
                : "skb:kfree_skb without a reason field (kernel older than 5.17)");
        f.put("modules", !h.modulesListed() ? "cannot be loaded (no /proc/modules)"
                : h.modulesDisabled() ? "disabled (kernel.modules_disabled=1)" : "loadable");
        return f;
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
