package dev.droptop.diagnose;

import dev.droptop.model.ConntrackState;
import dev.droptop.model.Decimals;
import java.util.Map;

/** What to do about a full conntrack table, with the new limit and its memory cost when known. */
final class ConntrackAdvice {
    /** TIME_WAIT entries above this share of the table make a shorter timeout worth it. */
    private static final double TIME_WAIT_DOMINATES = 0.5;
    private static final long SUGGESTED_TIME_WAIT = 30;

    private ConntrackAdvice() {
    }

    /** The next power of two at or above twice the demand (the peak count, at least max when full). */
    static long suggestedMax(ConntrackFacts ct) {
        long demand = Math.max(ct.peak, ct.fill() >= 0.95 ? ct.max : 0);
        return Sizes.nextPowerOfTwo(Math.max(2 * demand, 1024));
    }

    static String sized(ConntrackFacts ct) {
        long suggested = Math.max(suggestedMax(ct), ct.max);
        long entry = ct.entryBytes();
        long buckets = Math.max(ct.buckets, 0);
        StringBuilder sb = new StringBuilder();
        if (suggested > ct.max) {
            sb.append("raise the limit: `sysctl -w net.netfilter.nf_conntrack_max=").append(suggested)
                    .append("` (in the initial namespace; 2x the peak, rounded up to a power of two): memory ")
                    .append(Sizes.bytes(suggested * entry + buckets * 16)).append(" instead of ")
                    .append(Sizes.bytes(ct.max * entry + buckets * 16)).append(" (max x ").append(entry)
                    .append(" B per entry [").append(ct.entryBytesSource()).append("] + ").append(buckets)
                    .append(" buckets x 16 B)");
            if (buckets > 0 && suggested / buckets > 4) {
                sb.append("; and `sysctl -w net.netfilter.nf_conntrack_buckets=")
                        .append(Sizes.nextPowerOfTwo(suggested / 2)).append("` so hash chains stay short");
            }
        } else {
            sb.append("nf_conntrack_max is already large: find what fills the table (`droptop conntrack`)");
        }
        sb.append("; ").append(timeWait(ct.system.conntrack()));
        sb.append("; persist in /etc/sysctl.d/");
        return sb.toString();
    }

    static String unsized() {
        return "confirm with `droptop conntrack` (or `sysctl net.netfilter.nf_conntrack_count "
                + "net.netfilter.nf_conntrack_max`, `conntrack -S` drop column, `dmesg | grep 'table full'`); "
                + "if count is at max, raise `net.netfilter.nf_conntrack_max` (e.g. to the next power of two >= 2x the "
                + "peak count; memory max x entry size (376 B in the case study) + buckets x 16 B) and, when "
                + "`conntrack -L` shows mostly TIME_WAIT, lower `net.netfilter.nf_conntrack_tcp_timeout_time_wait` "
                + "(default 120 s); if count is far from max, look for an iptables rule that drops in PREROUTING";
    }

    private static String timeWait(ConntrackState state) {
        if (state == null || state.entries() == null || state.entries().total() == 0) {
            return "if `conntrack -L` shows mostly TIME_WAIT entries, lower "
                    + "`net.netfilter.nf_conntrack_tcp_timeout_time_wait` (default 120 s)";
        }
        Map<String, Long> states = state.entries().byState();
        long tw = states.getOrDefault("TIME_WAIT", 0L);
        long total = state.entries().total();
        long now = state.timeouts().getOrDefault("time_wait", 120L);
        if ((double) tw / total <= TIME_WAIT_DOMINATES || now <= SUGGESTED_TIME_WAIT) {
            return "TIME_WAIT is " + tw + " of " + total + " entries: its timeout is not the problem";
        }
        return tw + " of " + total + " entries (" + Decimals.percent((double) tw / total) + ") are TIME_WAIT: lower "
                + "`sysctl -w net.netfilter.nf_conntrack_tcp_timeout_time_wait=" + SUGGESTED_TIME_WAIT + "` (now "
                + now + " s)";
    }
}
