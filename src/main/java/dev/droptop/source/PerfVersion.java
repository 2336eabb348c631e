package dev.droptop.source;

/**
 * perf's version, from its header's version feature ({@code 6.1.187}) or {@code perf version}'s line
 * ({@code perf version 6.1.187}): what perf record can do depends on it. Parsed by hand, without a regular expression.
 */
record PerfVersion(int major, int minor) {
    private static final String PREFIX = "perf version ";

    /** The version {@code text} names, or null when it names none (a number too big counts as none). */
    static PerfVersion parse(String text) {
        if (text == null) {
            return null;
        }
        String s = text.strip();
        if (s.startsWith(PREFIX)) {
            s = s.substring(PREFIX.length());
        }
        int dot = s.indexOf('.');
        if (dot < 1 || dot > 4) {
            return null;
        }
        int minorEnd = dot + 1;
        while (minorEnd < s.length() && minorEnd - dot <= 4 && Character.isDigit(s.charAt(minorEnd))) {
            minorEnd++;
        }
        try {
            return new PerfVersion(Integer.parseInt(s, 0, dot, 10),
                    minorEnd == dot + 1 ? 0 : Integer.parseInt(s, dot + 1, minorEnd, 10));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    boolean atLeast(int major, int minor) {
        return this.major > major || this.major == major && this.minor >= minor;
    }

    /**
     * Writes PERF_RECORD_FINISHED_INIT once its events are enabled: 6.0 and later (the record came with
     * "perf record: Add finished init event", June 2022).
     */
    boolean writesFinishedInit() {
        return atLeast(6, 0);
    }

    /**
     * Takes {@code --no-bpf-event} (5.1 and later). Without it perf record keeps a thread that records
     * BPF program loads (whose symbols droptop does not use: it resolves addresses through kallsyms)
     * and looks at the exit flag once a second.
     */
    boolean takesNoBpfEvent() {
        return atLeast(5, 1);
    }
}
