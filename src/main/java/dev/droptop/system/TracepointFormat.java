package dev.droptop.system;

import dev.droptop.model.ReasonNames;
import dev.droptop.model.TracepointLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code skb/kfree_skb} tracepoint format file: its fields and its reason table, the
 * {@code __print_symbolic(REC->reason, { 2, "NOT_SPECIFIED" }, { 3, "NO_SOCKET" }, ...)} in the
 * print fmt line (the enum is not UAPI: it is read from the running kernel, like nettrace does).
 */
public final class TracepointFormat {
    public static final Path DEFAULT = Path.of("/sys/kernel/tracing/events/skb/kfree_skb/format");
    private static final String SYMBOLIC = "__print_symbolic(REC->reason";

    private final String text;

    private TracepointFormat(String text) {
        this.text = text;
    }

    public static TracepointFormat read(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        if (b.length > 1 << 20) {
            throw new IOException(file + ": too large for a tracepoint format file");
        }
        return new TracepointFormat(new String(b, StandardCharsets.UTF_8));
    }

    public static TracepointFormat of(String text) {
        return new TracepointFormat(text);
    }

    /** The running kernel's reason table, or an empty one when tracefs is not readable. */
    public static ReasonNames runningKernelReasons() {
        for (Path p : new Path[] {DEFAULT, Path.of("/sys/kernel/debug/tracing/events/skb/kfree_skb/format")}) {
            try {
                return read(p).reasons();
            } catch (IOException e) {
                // try the next mount point
            }
        }
        return ReasonNames.none();
    }

    public boolean hasField(String name) {
        return text.contains(" " + name + ";");
    }

    /** The {@code { N, "NAME" }} pairs of the reason's __print_symbolic; empty when absent. */
    public ReasonNames reasons() {
        int at = text.indexOf(SYMBOLIC);
        if (at < 0) {
            return ReasonNames.none();
        }
        Map<Integer, String> table = new LinkedHashMap<>();
        int i = at + SYMBOLIC.length();
        while (true) {
            int open = text.indexOf('{', i);
            int close = open < 0 ? -1 : text.indexOf('}', open);
            if (open < 0 || close < 0) {
                break;
            }
            String pair = text.substring(open + 1, close);
            int comma = pair.indexOf(',');
            int q1 = pair.indexOf('"');
            int q2 = pair.lastIndexOf('"');
            if (comma > 0 && q1 > comma && q2 > q1) {
                try {
                    table.put(Integer.decode(pair.substring(0, comma).trim()), pair.substring(q1 + 1, q2));
                } catch (NumberFormatException e) {
                    // not a pair of the table
                }
            }
            i = close + 1;
        }
        return new ReasonNames(table);
    }

    /** The {@code ID: 2310} line, or {@link TracepointLayout#ANY_ID} when absent. */
    public long id() {
        int at = text.startsWith("ID:") ? 0 : text.indexOf("\nID:");
        if (at < 0) {
            return TracepointLayout.ANY_ID;
        }
        int from = text.indexOf(':', at) + 1;
        int to = text.indexOf('\n', from);
        try {
            return Long.parseLong(text.substring(from, to < 0 ? text.length() : to).trim());
        } catch (NumberFormatException e) {
            return TracepointLayout.ANY_ID;
        }
    }

    /**
     * {offset, size} of {@code field:<type> <name>; offset:N; size:N;}, or null when the field is
     * absent. The name is the last word before the semicolon ({@code void * location}).
     */
    public int[] field(String name) {
        for (String line : text.split("\n")) {
            int f = line.indexOf("field:");
            int semi = line.indexOf(';');
            if (f < 0 || semi < 0) {
                continue;
            }
            String decl = line.substring(f + 6, semi).trim();
            int sp = Math.max(decl.lastIndexOf(' '), decl.lastIndexOf('*'));
            if (!decl.substring(sp + 1).equals(name)) {
                continue;
            }
            int off = number(line, "offset:");
            int size = number(line, "size:");
            return off < 0 || size <= 0 ? null : new int[] {off, size};
        }
        return null;
    }

    /** Field offsets, id and reason table of kfree_skb for {@code PerfDataReader}. */
    public TracepointLayout layout() {
        int[] loc = field("location");
        int[] reason = field("reason");
        int[] proto = field("protocol");
        int abs = TracepointLayout.ABSENT;
        return new TracepointLayout(id(), loc == null ? abs : loc[0], loc == null ? 0 : loc[1],
                reason == null ? abs : reason[0], reason == null ? 0 : reason[1],
                proto == null ? abs : proto[0], proto == null ? 0 : proto[1], reasons());
    }

    /** The running kernel's kfree_skb layout, or null when tracefs is not readable. */
    public static TracepointLayout runningKernelLayout() {
        for (Path p : new Path[] {DEFAULT, Path.of("/sys/kernel/debug/tracing/events/skb/kfree_skb/format")}) {
            try {
                return read(p).layout();
            } catch (IOException e) {
                // try the next mount point
            }
        }
        return null;
    }

    private static int number(String line, String label) {
        int at = line.indexOf(label);
        if (at < 0) {
            return -1;
        }
        int from = at + label.length();
        int to = from;
        while (to < line.length() && Character.isDigit(line.charAt(to))) {
            to++;
        }
        return to == from || to - from > 6 ? -1 : Integer.parseInt(line.substring(from, to));
    }
}
