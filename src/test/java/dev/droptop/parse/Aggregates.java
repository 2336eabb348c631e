package dev.droptop.parse;

import dev.droptop.model.DropKey;
import dev.droptop.model.DropSink;
import dev.droptop.model.StackTable;
import dev.droptop.model.SymbolResolver;
import dev.droptop.model.SymbolTable;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A sink that keeps what golden tests compare: counts per location/reason/protocol and per folded
 * stack ({@code location/reason;outer;...;inner}), plus lost and the first and last time.
 */
final class Aggregates implements DropSink {
    final SymbolTable symbols = new SymbolTable();
    final StackTable stacks = new StackTable(symbols);
    final Map<String, Long> keys = new TreeMap<>();
    final Map<String, Long> folded = new TreeMap<>();
    long lost;
    long total;

    @Override
    public SymbolTable symbols() {
        return symbols;
    }

    @Override
    public StackTable stacks() {
        return stacks;
    }

    @Override
    public void record(DropKey key, int stackId, long count, long timeNanos) {
        String k = key.location() + " " + key.reasonOrDash() + " " + key.protocol();
        keys.merge(k, count, Long::sum);
        String[] f = stacks.frameNames(stackId);
        StringBuilder sb = new StringBuilder(k);
        for (int i = f.length - 1; i >= 0; i--) {
            sb.append(';').append(f[i]);
        }
        folded.merge(sb.toString(), count, Long::sum);
        total += count;
    }

    @Override
    public void lost(long count, long timeNanos) {
        lost += count;
    }

    @Override
    public void intervalEnd(long timeNanos) {
    }

    /**
     * perf script text with user-space frames ({@code <tab>10a7c0 __libc_connect+0x10 (libc.so.6)})
     * turned into {@code [unknown]}: perf.data carries no user symbols, the native reader names them so.
     */
    static String kernelOnly(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (String line : text.split("\n", -1)) {
            String t = line.strip();
            int sp = t.indexOf(' ');
            if (line.startsWith("\t") && sp > 0 && sp < 16 && isHex(t.substring(0, sp))) {
                out.append('\t').append(t, 0, sp).append(" [unknown] ([unknown])\n");
            } else {
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }

    /** A resolver from the frames of perf script text: {@code ffffffff82033a51 tcp_v4_rcv+0x91}. */
    static SymbolResolver resolverFrom(String text) {
        Map<Long, SymbolResolver.Resolved> m = new HashMap<>();
        for (String line : text.split("\n")) {
            String[] p = line.strip().split(" ");
            if (line.startsWith("\t") && p.length >= 2 && p[0].length() == 16 && isHex(p[0])) {
                int plus = p[1].lastIndexOf("+0x");
                if (plus > 0) {
                    m.put(Long.parseUnsignedLong(p[0], 16), new SymbolResolver.Resolved(p[1].substring(0, plus),
                            Integer.parseInt(p[1].substring(plus + 3), 16)));
                }
            }
        }
        return m::get;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static boolean isHex(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }
}
