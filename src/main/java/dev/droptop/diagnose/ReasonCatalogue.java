package dev.droptop.diagnose;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What each kernel drop reason means, its usual causes and what to check: the data file
 * {@code reasons.txt} next to this class (format in its header). Names are looked up without the
 * {@code SKB_DROP_REASON_} prefix and case-insensitively. A reason the file lacks falls back to one
 * line saying so; a number with subsystem bits ({@code SKB_DROP_REASON_SUBSYS_MASK}, the high 16
 * bits) is decoded as that subsystem's reason.
 */
public final class ReasonCatalogue {
    public static final String PREFIX = "SKB_DROP_REASON_";
    static final int SUBSYS_SHIFT = 16;
    private static final String RESOURCE = "reasons.txt";
    private static final ReasonCatalogue BUILT_IN = load();

    /** The catalogue file; an entry's lines are parsed when it is first asked for. */
    private final String text;
    /** Name to the offset of its first field line, in file order. */
    private final Map<String, Integer> blocks;
    private final Map<Integer, String> subsystems;
    private final Map<String, Entry> parsed = new ConcurrentHashMap<>();

    /**
     * One reason.
     *
     * @param benign why this free is not lost traffic, or null when it is (most reasons)
     */
    public record Entry(String name, String means, String causes, String check, String benign) {
        public boolean isBenign() {
            return benign != null;
        }

        /** {@code NO_SOCKET: no socket matched ... ; check: `ss -lntup` ...}. */
        public String oneLine() {
            return name + ": " + means + "; check: " + check;
        }
    }

    /**
     * Indexes {@code text}: names and subsystems now, each entry's fields on first use. A short report
     * looks up a handful of the ~130 reasons, and a full parse of the file was a good part of its
     * diagnosis in a cold JVM; {@link #parse(List)} checks every entry (tests check the shipped file).
     */
    private ReasonCatalogue(String text) {
        this.text = text;
        Map<String, Integer> names = new LinkedHashMap<>();
        Map<Integer, String> subsys = new TreeMap<>();
        boolean inBlock = false;
        int lineNo = 0;
        for (int i = 0; i < text.length(); ) {
            int end = lineEnd(text, i);
            lineNo++;
            char first = i < end ? text.charAt(i) : ' ';
            if (!Character.isWhitespace(first) && first != '#') {
                String t = text.substring(i, end).trim();
                inBlock = !t.startsWith("subsys ");
                if (inBlock) {
                    names.put(t, end + 1);
                } else {
                    addSubsystem(subsys, t, lineNo);
                }
            } else if (!inBlock && first != '#' && !text.substring(i, end).isBlank()
                    && !text.substring(i, end).trim().startsWith("#")) {
                throw malformed(lineNo);
            }
            i = end + 1;
        }
        this.blocks = Collections.unmodifiableMap(names);
        this.subsystems = Collections.unmodifiableMap(subsys);
    }

    /** The catalogue shipped with droptop. */
    public static ReasonCatalogue builtIn() {
        return BUILT_IN;
    }

    private static ReasonCatalogue load() {
        return new ReasonCatalogue(Bundled.text(ReasonCatalogue.class, RESOURCE));
    }

    /**
     * Parses the catalogue format and checks every entry; a malformed line is an error naming its number
     * (the file ships with droptop).
     */
    static ReasonCatalogue parse(List<String> lines) {
        ReasonCatalogue c = new ReasonCatalogue(String.join("\n", lines));
        c.blocks.keySet().forEach(c::entry);
        return c;
    }

    private Entry parseBlock(String name, int from) {
        Map<String, String> fields = new LinkedHashMap<>();
        int i = from;
        while (i < text.length()) {
            int end = lineEnd(text, i);
            String line = text.substring(i, end);
            String t = line.trim();
            if (!t.isEmpty() && !t.startsWith("#")) {
                if (!Character.isWhitespace(line.charAt(0))) {
                    break;
                }
                int colon = t.indexOf(": ");
                if (colon < 0) {
                    throw malformed(lineNumber(i));
                }
                fields.put(t.substring(0, colon), t.substring(colon + 2));
            }
            i = end + 1;
        }
        if (!fields.containsKey("means") || !fields.containsKey("causes") || !fields.containsKey("check")) {
            throw new IllegalArgumentException("reasons.txt before line " + lineNumber(Math.min(i, text.length()))
                    + ": " + name + " needs means, causes and check");
        }
        return new Entry(name, fields.get("means"), fields.get("causes"), fields.get("check"), fields.get("benign"));
    }

    private static int lineEnd(String text, int from) {
        int end = text.indexOf('\n', from);
        return end < 0 ? text.length() : end;
    }

    /** The 1-based number of the line at {@code offset} (error messages only). */
    private int lineNumber(int offset) {
        int n = 1;
        for (int i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
            n++;
        }
        return n;
    }

    private static IllegalArgumentException malformed(int lineNo) {
        return new IllegalArgumentException("reasons.txt line " + lineNo + ": expected 'key: text' in a block");
    }

    private static void addSubsystem(Map<Integer, String> subsystems, String t, int lineNo) {
        String[] parts = t.split(" ", 3);
        try {
            subsystems.put(Integer.parseInt(parts[1]), parts[2]);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("reasons.txt line " + lineNo + ": expected 'subsys N NAME: text'");
        }
    }

    /** {@code skb_drop_reason_socket_filter} and {@code Socket_Filter} both give {@code SOCKET_FILTER}. */
    public static String normalize(String reason) {
        String n = reason.trim().toUpperCase(Locale.ROOT);
        return n.startsWith(PREFIX) ? n.substring(PREFIX.length()) : n;
    }

    public Optional<Entry> entry(String reason) {
        if (reason == null) {
            return Optional.empty();
        }
        String name = normalize(reason);
        Integer from = blocks.get(name);
        return from == null ? Optional.empty() : Optional.of(parsed.computeIfAbsent(name, n -> parseBlock(n, from)));
    }

    /** Names of every reason in the catalogue, in file order. */
    public List<String> names() {
        return List.copyOf(blocks.keySet());
    }

    /** True when the catalogue calls {@code reason} not lost traffic. */
    public boolean isBenign(String reason) {
        return entry(reason).map(Entry::isBenign).orElse(false);
    }

    /**
     * One line for a report row or the TUI: the entry's meaning and what to check, the subsystem of
     * a numeric reason with subsystem bits, or "reason N unknown to this catalogue (kernel X)".
     *
     * @param kernel the release of the kernel that made the trace, or null when not recorded
     */
    public String oneLine(String reason, String kernel) {
        if (reason == null || reason.isEmpty()) {
            return "no reason recorded (kernel before 5.17 or a backend without the reason field)";
        }
        Optional<Entry> e = entry(reason);
        if (e.isPresent()) {
            return e.get().oneLine();
        }
        long value = number(reason);
        if (value >= 0 && value >>> SUBSYS_SHIFT != 0) {
            return subsystemLine(value, kernel);
        }
        return "reason " + reason + " unknown to this catalogue (" + kernelText(kernel) + ")";
    }

    private String subsystemLine(long value, String kernel) {
        int subsys = (int) (value >>> SUBSYS_SHIFT);
        int code = (int) (value & 0xffff);
        String about = subsystems.get(subsys);
        if (about == null) {
            return "reason 0x" + Long.toHexString(value) + ": subsystem " + subsys + ", reason " + code
                    + ", a subsystem unknown to this catalogue (" + kernelText(kernel) + ")";
        }
        int colon = about.indexOf(": ");
        String subsysName = colon < 0 ? about : about.substring(0, colon);
        String text = colon < 0 ? "" : about.substring(colon + 2);
        return "reason 0x" + Long.toHexString(value) + ": " + subsysName + " subsystem reason " + code
                + " (its names are not in the tracepoint format; " + kernelText(kernel) + "): " + text;
    }

    private static String kernelText(String kernel) {
        return kernel == null || kernel.isEmpty() ? "kernel not recorded" : "kernel " + kernel;
    }

    /** A decimal or 0x-hex reason number, or -1 when {@code reason} is a name. */
    static long number(String reason) {
        String r = reason.trim().toLowerCase(Locale.ROOT);
        try {
            return r.startsWith("0x") ? Long.parseLong(r.substring(2), 16) : Long.parseLong(r);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The subsystem names of the high bits, by id. */
    public Map<Integer, String> subsystems() {
        return subsystems;
    }

    /** Catalogue names close to {@code query} (edit distance ≤ 3 and a third of its length, or a substring), closest first, at most 3. */
    public List<String> nearMisses(String query) {
        String q = normalize(query);
        List<String> out = new ArrayList<>();
        TreeMap<Integer, List<String>> byDistance = new TreeMap<>();
        for (String n : blocks.keySet()) {
            int d = distance(q, n);
            boolean contains = q.length() >= 4 && (n.contains(q) || q.contains(n));
            if (d <= Math.min(3, q.length() / 3) || contains) {
                byDistance.computeIfAbsent(contains ? Math.min(d, 1) : d, k -> new ArrayList<>()).add(n);
            }
        }
        byDistance.values().forEach(out::addAll);
        return out.subList(0, Math.min(3, out.size()));
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
