package dev.droptop.model;

/**
 * The kernel a trace was recorded on, as far as the trace says: its release ({@code uname -r}),
 * its GNU build-id (hex), and the start and size of its text ({@code _text}, {@code _etext - _text})
 * at recording time. Unknown parts are null or 0. The text start tells a same-build trace from another
 * boot (KASLR moves it); the text size tells two builds apart when no build-id is known.
 */
public record TraceKernel(String release, String buildId, long text, long textSize) {
    public static final TraceKernel UNKNOWN = new TraceKernel(null, null, 0, 0);

    /** A kernel known by its release only; the text comes from a trace, so only {@code [A-Za-z0-9._+~-]} is kept. */
    public static TraceKernel ofRelease(String raw) {
        StringBuilder r = new StringBuilder();
        for (int i = 0; i < raw.length() && r.length() < 64; i++) {
            char c = raw.charAt(i);
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || ".-_+~".indexOf(c) >= 0) {
                r.append(c);
            }
        }
        return new TraceKernel(r.length() == 0 ? null : r.toString(), null, 0, 0);
    }

    /** A kernel known by its build-id only (lower-case hex, else unknown). */
    public static TraceKernel ofBuildId(String hex) {
        String h = hex.toLowerCase(java.util.Locale.ROOT);
        return new TraceKernel(null, h.matches("[0-9a-f]{8,128}") ? h : null, 0, 0);
    }

    /** This, with the parts it does not know taken from {@code o}. */
    public TraceKernel merge(TraceKernel o) {
        return new TraceKernel(release != null ? release : o.release, buildId != null ? buildId : o.buildId,
                text != 0 ? text : o.text, textSize != 0 ? textSize : o.textSize);
    }

    public boolean isUnknown() {
        return release == null && buildId == null && text == 0 && textSize == 0;
    }

    /** {@code 6.18.44-fc-v657 (build-id 48dc540c8b76)}, or {@code an unknown kernel}. */
    public String describe() {
        if (release == null && buildId == null) {
            return "an unknown kernel (the trace does not say)";
        }
        String r = release != null ? release : "an unknown release";
        return buildId != null ? r + " (build-id " + buildId + ")" : r + " (no build-id in the trace)";
    }
}
