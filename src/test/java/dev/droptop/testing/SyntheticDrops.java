package dev.droptop.testing;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A measurement aid, not a test: writes a synthetic perf script stream ({@code perf script} of
 * {@code skb:kfree_skb} recorded with {@code -g}) of EVENTS drops over STACKS distinct call stacks
 * to stdout, 100,000 events per trace second, for piping into {@code droptop report /dev/stdin}:
 * <pre>
 * java -cp target/test-classes dev.droptop.testing.SyntheticDrops 10000000 10000 \
 *   | java -Xmx256m -jar target/droptop.jar report /dev/stdin
 * </pre>
 * Stack i has location {@code loc_(i % 100)} and callers {@code f(i / 100)_k}, so all STACKS stacks
 * differ and 100 locations each have STACKS/100 stacks; drops cycle through the stacks.
 */
public final class SyntheticDrops {
    private static final String[] REASONS = {"NO_SOCKET", "NETFILTER_DROP", "SOCKET_RCVBUFF", "TCP_CSUM"};

    private SyntheticDrops() {
    }

    public static void main(String[] args) throws IOException {
        long events = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        int stacks = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        write(System.out, events, stacks);
    }

    public static void write(OutputStream sink, long events, int stacks) throws IOException {
        byte[][] tails = new byte[stacks][];
        for (int i = 0; i < stacks; i++) {
            tails[i] = stackBlock(i).getBytes(StandardCharsets.US_ASCII);
        }
        OutputStream out = new BufferedOutputStream(sink, 1 << 16);
        StringBuilder sb = new StringBuilder(160);
        for (long e = 0; e < events; e++) {
            int s = (int) (e % stacks);
            long micros = 1_000_000L + e * 10; // 100,000 drops per second
            sb.setLength(0);
            sb.append("gen 4242 [00").append(e & 7).append("] ").append(micros / 1_000_000).append('.');
            String frac = Long.toString(micros % 1_000_000);
            sb.append("000000", 0, 6 - frac.length()).append(frac);
            sb.append(": skb:kfree_skb: skbaddr=0xffff888104517200 rx_sk=(nil) protocol=2048 location=loc_")
                    .append(s % 100).append("+0x1f reason: ").append(REASONS[s % REASONS.length]).append('\n');
            for (int i = 0; i < sb.length(); i++) {
                out.write(sb.charAt(i));
            }
            out.write(tails[s]);
        }
        out.flush();
    }

    private static String stackBlock(int i) {
        StringBuilder sb = new StringBuilder();
        sb.append("\tffffffff81e94fb0 sk_skb_reason_drop+0x90 ([kernel.kallsyms])\n");
        sb.append("\tffffffff81fbe3ff loc_").append(i % 100).append("+0x1f ([kernel.kallsyms])\n");
        for (int k = 0; k < 4; k++) {
            sb.append("\tffffffff81fd9f8c f").append(i / 100).append('_').append(k)
                    .append("+0x4c ([kernel.kallsyms])\n");
        }
        sb.append("\tffffffff81eba25e net_rx_action+0x16e ([kernel.kallsyms])\n\n");
        return sb.toString();
    }
}
