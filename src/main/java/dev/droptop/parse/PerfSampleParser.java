package dev.droptop.parse;

import dev.droptop.model.Profile;
import dev.droptop.model.StackTable;
import dev.droptop.model.SymbolTable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads generic {@code perf script} samples (any event: cpu-clock, cycles, page-faults...) into a
 * {@link Profile}. Separate from {@link PerfScriptParser}, whose hot path knows only skb:kfree_skb.
 * The sample headers of every perf version FlameGraph's tests hold are understood:
 * <pre>
 * swapper     0 [001] 81234.567890:    1001001 cpu-clock:ppp:     (cpu, time, period, event)
 * iperf 27409/28744 [000] 441995.133575: cpu-clock:               (pid/tid, no period)
 * V8 WorkerThread 25607 4794564.109216: 104345 cycles:           (comm with a space, no cpu)
 * func_ab 15294 cpu-clock:                                       (no time)
 * java 19983 cycles:                                             (the old format: frames unindented)
 * ffffffff8103d0ca native_write_msr_safe ([kernel.kallsyms])
 * </pre>
 * followed by frames ({@code \tffffffffa1b2c3d4 nf_hook_slow+0x3d ([kernel.kallsyms])}) and a blank
 * line; a last sample without the blank line after it counts too (perf report counts every sample;
 * FlameGraph's stackcollapse-perf.pl drops it). One event per profile: the first one seen, or the one
 * asked for; the samples of the others are only counted ({@link #otherEvents}). A sample weighs its
 * period when the header gives one (as in perf report), else 1. Offsets are cut from symbols so that
 * one function is one frame; {@code [unknown]} frames of a known object become {@code [libc.so.6]}.
 * Works on bytes over one line buffer: no regex, no String per line or frame.
 */
public final class PerfSampleParser {
    private static final byte[] UNKNOWN = Ascii.bytes("[unknown]");
    private static final byte[] DELETED = Ascii.bytes(" (deleted))");
    private static final int MAX_FRAMES = 4096;
    /** Periods above this (about 10^12; no real sampling period is near it) are clamped, so sums cannot overflow. */
    static final long MAX_PERIOD = 1L << 40;

    private final byte[] wanted;
    private byte[] event;
    private final List<byte[]> otherNames = new ArrayList<>();
    private final List<long[]> otherCounts = new ArrayList<>();
    private long samples;
    private long skipped;
    private long weight;
    private boolean periods;
    private double lastTime = Double.NaN;
    // what the last header held (for profileEvent)
    private boolean probing;
    private boolean pidSeen;
    private String evName;

    // the sample being read
    private boolean inSample;
    private long period;
    private int[] frames = new int[128];
    private int nFrames;
    private byte[] scratch = new byte[256];

    /** Takes the first event of the trace. */
    public PerfSampleParser() {
        this(null);
    }

    /** Takes the samples of {@code event} ({@code cycles}, {@code cpu-clock:ppp}), or the first event when null. */
    public PerfSampleParser(String event) {
        this.wanted = event == null ? null : event.getBytes(StandardCharsets.UTF_8);
    }

    public void parse(InputStream in, Profile profile) throws IOException {
        LineScanner lines = new LineScanner(in, 1 << 16, 1 << 20);
        SymbolTable symbols = profile.stacks().symbols();
        while (lines.next()) {
            byte[] b = lines.buf();
            int s = lines.start();
            int e = lines.end();
            int p = skipBlank(b, s, e);
            if (p == e) {
                end(profile);
            } else if (b[s] == '#') {
                continue;
            } else if (p > s || inSample && isBareFrame(b, s, e)) {
                if (inSample) {
                    frame(b, p, e, symbols);
                }
            } else {
                end(profile);
                header(b, s, e, profile);
            }
        }
        end(profile);
        Map<String, Long> others = new LinkedHashMap<>();
        for (int i = 0; i < otherNames.size(); i++) {
            others.put(new String(otherNames.get(i), StandardCharsets.UTF_8), otherCounts.get(i)[0]);
        }
        profile.describe(event(), periods, others);
    }

    private void end(Profile profile) {
        if (inSample) {
            samples++;
            weight += period;
            if (nFrames == 0) {
                skipped++;
                profile.addUnstacked(1, period);
            } else {
                StackTable stacks = profile.stacks();
                profile.add(stacks.intern(frames, 0, nFrames), 1, period);
            }
        }
        inSample = false;
        nFrames = 0;
    }

    /**
     * A sample header: {@code COMM PID[/TID] [CPU] [TIME:] [PERIOD] EVENT: [...]}. COMM may hold
     * spaces, so the fields are found from the first token on that looks like one: the event is the
     * first later token ending in ':' that is not a time, the period the number just before it
     * (only after a time, so that the PID of the old format is not taken for one).
     */
    private void header(byte[] b, int s, int e, Profile profile) {
        int evFrom = -1;
        int evTo = -1;
        long per = -1;
        boolean timeSeen = false;
        lastTime = Double.NaN;
        int prevFrom = -1;
        int prevTo = -1;
        int p = s;
        boolean first = true;
        while (p < e) {
            int q = p;
            while (q < e && b[q] != ' ' && b[q] != '\t') {
                q++;
            }
            if (!first) {
                pidSeen |= probing && !timeSeen && isPid(b, p, q);
                if (b[q - 1] == ':' && q - 1 > p) {
                    long ns = Ascii.parseSecondsToNanos(b, p, q - 1);
                    if (ns != Ascii.INVALID && Ascii.indexOf(b, p, q - 1, (byte) '.') >= 0) {
                        timeSeen = true;
                        lastTime = ns / 1e9;
                    } else {
                        evFrom = p;
                        evTo = q - 1;
                        if (probing && pidSeen) {
                            evName = new String(b, p, q - 1 - p, StandardCharsets.UTF_8);
                        }
                        if (timeSeen && prevFrom >= 0) {
                            per = Ascii.parseLong(b, prevFrom, prevTo);
                        }
                        break;
                    }
                }
            }
            first = false;
            prevFrom = p;
            prevTo = q;
            p = skipBlank(b, q, e);
        }
        if (evFrom >= 0 && !accept(b, evFrom, evTo)) {
            return;
        }
        if (!Double.isNaN(lastTime)) {
            profile.time(lastTime);
        }
        inSample = true;
        period = per == Ascii.INVALID || per < 0 ? 1 : Math.min(per, MAX_PERIOD);
        periods |= per >= 0;
    }

    /** {@code 1234} or {@code 1234/1240}. */
    private static boolean isPid(byte[] b, int from, int to) {
        int slash = Ascii.indexOf(b, from, to, (byte) '/');
        if (slash < 0) {
            return Ascii.parseLong(b, from, to) != Ascii.INVALID;
        }
        return Ascii.parseLong(b, from, slash) != Ascii.INVALID && Ascii.parseLong(b, slash + 1, to) != Ascii.INVALID;
    }

    /** Whether a sample of this event belongs to the profile; counts it among the others when not. */
    private boolean accept(byte[] b, int from, int to) {
        byte[] mine = wanted != null ? wanted : event;
        if (mine == null) {
            event = Arrays.copyOfRange(b, from, to);
            return true;
        }
        if (Arrays.equals(mine, 0, mine.length, b, from, to)) {
            if (event == null) {
                event = mine;
            }
            return true;
        }
        for (int i = 0; i < otherNames.size(); i++) {
            byte[] n = otherNames.get(i);
            if (Arrays.equals(n, 0, n.length, b, from, to)) {
                otherCounts.get(i)[0]++;
                return false;
            }
        }
        if (otherNames.size() < 64) {
            otherNames.add(Arrays.copyOfRange(b, from, to));
            otherCounts.add(new long[] {1});
        }
        return false;
    }

    /** An unindented frame of the old format: {@code HEX SYMBOL (DSO)} inside a sample. */
    private static boolean isBareFrame(byte[] b, int s, int e) {
        int q = s;
        while (q < e && Ascii.hexDigit(b[q]) >= 0) {
            q++;
        }
        if (q == s || q == e || b[q] != ' ') {
            return false;
        }
        int t = trimEnd(b, q, e);
        return b[t - 1] == ')' && lastSpaceParen(b, q, t) >= 0;
    }

    /** {@code ADDR SYMBOL[+0xOFF] (DSO)} from {@code p} (leading blanks skipped) to a frame. */
    private void frame(byte[] b, int p, int e, SymbolTable symbols) {
        if (nFrames == MAX_FRAMES) {
            return;
        }
        int q = p;
        while (q < e && b[q] != ' ' && b[q] != '\t') {
            q++;
        }
        int from = skipBlank(b, q, e);
        int to = trimEnd(b, from, e);
        int dsoFrom = -1;
        int dsoTo = -1;
        if (to > from && b[to - 1] == ')') {
            int end = to;
            if (endsWith(b, from, to, DELETED)) {
                end = to - DELETED.length + 1;
            }
            int sp = lastSpaceParen(b, q, end);
            if (sp >= 0) {
                dsoFrom = sp + 2;
                dsoTo = to - 1;
                to = Math.max(from, sp);
            }
        }
        int off = lastOffset(b, from, to);
        if (off >= 0) {
            to = off;
        }
        to = trimEnd(b, from, to);
        int id;
        if (to == from || Arrays.equals(b, from, to, UNKNOWN, 0, UNKNOWN.length)) {
            id = dsoFrom >= 0 && dsoTo > dsoFrom && !Arrays.equals(b, dsoFrom, dsoTo, UNKNOWN, 0, UNKNOWN.length)
                    ? objectFrame(b, dsoFrom, dsoTo, symbols) : symbols.intern(UNKNOWN, 0, UNKNOWN.length);
        } else {
            id = symbols.intern(b, from, to);
        }
        if (nFrames == frames.length) {
            frames = Arrays.copyOf(frames, nFrames * 2);
        }
        frames[nFrames++] = id;
    }

    /** {@code [libc-2.19.so]} for an unnamed frame in {@code /lib/x86_64-linux-gnu/libc-2.19.so}. */
    private int objectFrame(byte[] b, int from, int to, SymbolTable symbols) {
        int slash = Ascii.lastIndexOf(b, from, to, (byte) '/');
        int base = slash < 0 ? from : slash + 1;
        if (b[base] == '[' && b[to - 1] == ']') {
            return symbols.intern(b, base, to);
        }
        int n = to - base + 2;
        if (scratch.length < n) {
            scratch = new byte[n * 2];
        }
        scratch[0] = '[';
        System.arraycopy(b, base, scratch, 1, to - base);
        scratch[n - 1] = ']';
        return symbols.intern(scratch, 0, n);
    }

    /** The index of a trailing {@code +0xHEX}, or -1. */
    private static int lastOffset(byte[] b, int from, int to) {
        int i = to - 1;
        while (i > from && Ascii.hexDigit(b[i]) >= 0) {
            i--;
        }
        if (i < to - 1 && i - 2 >= from && b[i] == 'x' && b[i - 1] == '0' && b[i - 2] == '+') {
            return i - 2;
        }
        return -1;
    }

    private static int lastSpaceParen(byte[] b, int from, int to) {
        for (int i = to - 2; i >= from; i--) {
            if (b[i] == ' ' && b[i + 1] == '(') {
                return i;
            }
        }
        return -1;
    }

    private static boolean endsWith(byte[] b, int from, int to, byte[] suffix) {
        return to - from >= suffix.length && Arrays.equals(b, to - suffix.length, to, suffix, 0, suffix.length);
    }

    private static int skipBlank(byte[] b, int p, int e) {
        while (p < e && (b[p] == ' ' || b[p] == '\t')) {
            p++;
        }
        return p;
    }

    private static int trimEnd(byte[] b, int from, int to) {
        while (to > from && (b[to - 1] == ' ' || b[to - 1] == '\t' || b[to - 1] == '\r')) {
            to--;
        }
        return to;
    }

    /**
     * The event of a CPU profile in {@code prefix[0, len)}: perf script samples with call chains
     * (a sample header naming an event, then a frame line), or null when the prefix is not one.
     * For {@code report}, to tell such a file from text it cannot read at all.
     */
    public static String profileEvent(byte[] prefix, int len) {
        PerfSampleParser parser = new PerfSampleParser();
        parser.probing = true;
        Profile scratchProfile = new Profile();
        LineScanner lines = new LineScanner(new java.io.ByteArrayInputStream(prefix, 0, len), 1 << 16, 1 << 16);
        String candidate = null;
        try {
            while (lines.next()) {
                byte[] b = lines.buf();
                int s = lines.start();
                int e = lines.end();
                int p = skipBlank(b, s, e);
                if (p == e || b[s] == '#') {
                    candidate = null;
                } else if (candidate != null && isBareFrame(b, p, e)) {
                    int t = trimEnd(b, p, e);
                    int dso = lastSpaceParen(b, p, t);
                    if (Ascii.indexOf(b, dso + 2, t, (byte) ' ') < 0) {
                        return candidate; // HEX SYMBOL (OBJECT-WITHOUT-SPACES)
                    }
                    candidate = null;
                } else if (p == s) {
                    parser.pidSeen = false;
                    parser.evName = null;
                    parser.header(b, s, e, scratchProfile);
                    candidate = parser.pidSeen ? parser.evName : null;
                } else {
                    candidate = null;
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    /** {@code ffffffffa1b2c3d4 nf_hook_slow+0x3d ([kernel.kallsyms])} to {@code nf_hook_slow} (tests, messages). */
    static String frame(String line) {
        Profile p = new Profile();
        PerfSampleParser parser = new PerfSampleParser();
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        parser.frame(b, skipBlank(b, 0, b.length), b.length, p.stacks().symbols());
        return p.stacks().symbols().name(parser.frames[0]);
    }

    /** Samples of the profile's event, with or without a call chain. */
    public long samples() {
        return samples;
    }

    /** Samples without a call chain (recorded without -g): in {@link #samples}, on no stack. */
    public long skipped() {
        return skipped;
    }

    /** Samples with a call chain. */
    public long stacked() {
        return samples - skipped;
    }

    /** The sum of the samples' periods (the sample count when the trace gives no periods). */
    public long weight() {
        return weight;
    }

    /** The profile's event: the one asked for, else the first in the trace; null when no header named one. */
    public String event() {
        byte[] ev = event != null ? event : wanted;
        return ev == null ? null : new String(ev, StandardCharsets.UTF_8);
    }

    /** Events left out of the profile, with their sample counts. */
    public Map<String, Long> otherEvents() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (int i = 0; i < otherNames.size(); i++) {
            out.put(new String(otherNames.get(i), StandardCharsets.UTF_8), otherCounts.get(i)[0]);
        }
        return out;
    }

    /** The seconds of a sample header ({@code comm 12 [001] 81234.567890: ...}), or NaN. */
    static double timestamp(String header) {
        byte[] b = header.getBytes(StandardCharsets.UTF_8);
        PerfSampleParser parser = new PerfSampleParser();
        parser.header(b, 0, b.length, new Profile());
        return parser.lastTime;
    }
}
