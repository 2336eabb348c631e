package dev.droptop.parse;

import dev.droptop.model.Profile;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads generic {@code perf script} samples (any event, e.g. cpu-clock) into a {@link Profile}.
 * Separate from {@link PerfScriptParser}, whose byte-level hot path knows only skb:kfree_skb. Input:
 * <pre>
 * swapper     0 [001] 81234.567890:    1001001 cpu-clock:ppp:
 * 	ffffffffa1b2c3d4 nf_hook_slow+0x3d ([kernel.kallsyms])
 * 	ffffffffa1b2c000 ip_rcv+0x4a ([kernel.kallsyms])
 * (blank line)
 * </pre>
 * Offsets are cut from symbols so that one function is one frame.
 */
public final class PerfSampleParser {
    private long samples;
    private long skipped;

    public void parse(InputStream in, Profile profile) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        List<String> frames = new ArrayList<>();
        boolean inSample = false;
        for (String line = r.readLine(); line != null; line = r.readLine()) {
            if (line.isBlank()) {
                inSample = end(inSample, frames, profile);
            } else if (Character.isWhitespace(line.charAt(0))) {
                if (inSample) {
                    frames.add(frame(line.trim()));
                }
            } else if (!line.startsWith("#")) {
                end(inSample, frames, profile);
                double t = timestamp(line);
                if (!Double.isNaN(t)) {
                    profile.time(t);
                }
                inSample = true;
            }
        }
        end(inSample, frames, profile);
    }

    private boolean end(boolean inSample, List<String> frames, Profile profile) {
        if (inSample) {
            if (frames.isEmpty()) {
                skipped++;
            } else {
                profile.add(profile.stacks().intern(frames.toArray(new String[0])), 1);
                samples++;
            }
        }
        frames.clear();
        return false;
    }

    /** {@code ffffffffa1b2c3d4 nf_hook_slow+0x3d ([kernel.kallsyms])} to {@code nf_hook_slow}. */
    static String frame(String line) {
        int sp = line.indexOf(' ');
        String rest = sp < 0 ? line : line.substring(sp + 1);
        int dso = rest.lastIndexOf(" (");
        if (dso > 0 && rest.endsWith(")")) {
            rest = rest.substring(0, dso);
        }
        int off = rest.lastIndexOf("+0x");
        if (off > 0) {
            rest = rest.substring(0, off);
        }
        return rest.isEmpty() ? "[unknown]" : rest;
    }

    /** The seconds of a sample header ({@code comm 12 [001] 81234.567890: ...}), or NaN. */
    static double timestamp(String header) {
        int cpu = header.indexOf("] ");
        int from = cpu < 0 ? 0 : cpu + 2;
        while (from < header.length() && header.charAt(from) == ' ') {
            from++;
        }
        int colon = header.indexOf(':', from);
        if (colon <= from) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(header.substring(from, colon));
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** Samples with at least one frame. */
    public long samples() {
        return samples;
    }

    /** Samples without a call chain (recorded without -g). */
    public long skipped() {
        return skipped;
    }
}
