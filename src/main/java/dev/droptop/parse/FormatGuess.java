package dev.droptop.parse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.Arrays;

/**
 * Tells the format of a stream from its content, never from a file name (inferno's
 * {@code collapse/guess.rs}). Reads a bounded prefix ({@value #MAX_PREFIX} bytes or
 * {@value #MAX_LINES} lines) and asks, in order: perf.data magic, droptop capture header, then
 * {@link BpftraceParser}, {@link DropwatchParser}, {@link TracefsParser}, {@link PerfScriptParser}.
 * It stops reading as soon as one says {@link Applicable#YES}, so a live pipe is not held back. The
 * prefix is replayed in front of the rest of the stream.
 *
 * <pre>
 * PERFILE2...                                          -&gt; PERF_DATA
 * {"type":"header","format":"droptop-capture",...}     -&gt; CAPTURE
 * droptop-bpftrace 1 ... / &#64;loc[0xffffffff81eb83a1, 74]: 3 -&gt; BPFTRACE
 * 1762 packets dropped at unix_stream_recvmsg          -&gt; STAP
 *   &lt;...&gt;-14983 [000] ..s1. 9126.521454: kfree_skb: ... -&gt; TRACEFS
 * dg-udp 10198 [001] 7944.776241: skb:kfree_skb: ...   -&gt; PERF_SCRIPT
 * </pre>
 */
public final class FormatGuess {
    public static final int MAX_PREFIX = 64 * 1024;
    public static final int MAX_LINES = 50;
    private static final byte[] PERF_MAGIC = Ascii.bytes("PERFILE2");
    private static final byte[] CAPTURE_MAGIC = Ascii.bytes("\"droptop-capture\"");

    private FormatGuess() {
    }

    /** The guessed format and a stream that yields the whole input again, prefix included. */
    public record Guess(TraceFormat format, InputStream replay) {
    }

    /** Reads a prefix of {@code in}; the returned replay stream must be used instead of {@code in}. */
    public static Guess guess(InputStream in) throws IOException {
        byte[] buf = new byte[8192];
        int len = 0;
        TraceFormat format = TraceFormat.UNKNOWN;
        while (len < MAX_PREFIX) {
            if (len == buf.length) {
                buf = Arrays.copyOf(buf, Math.min(buf.length * 2, MAX_PREFIX));
            }
            int n = in.read(buf, len, buf.length - len);
            if (n < 0) {
                format = decide(buf, len, true);
                break;
            }
            len += n;
            format = decide(buf, len, false);
            if (format != null) {
                break;
            }
        }
        if (format == null) {
            format = decide(buf, len, true);
        }
        InputStream prefix = new ByteArrayInputStream(buf, 0, len);
        return new Guess(format, new SequenceInputStream(prefix, in));
    }

    /** The format of {@code prefix[0, len)}; null when undecided and more input may help. */
    static TraceFormat decide(byte[] prefix, int len, boolean complete) {
        boolean enough = complete || len >= MAX_PREFIX || countLines(prefix, len) >= MAX_LINES;
        if (len == 0) {
            return complete ? TraceFormat.UNKNOWN : null;
        }
        Applicable perf = perfData(prefix, len);
        if (perf == Applicable.YES) {
            return TraceFormat.PERF_DATA;
        }
        if (isBinary(prefix, len)) {
            return TraceFormat.UNKNOWN;
        }
        Applicable capture = capture(prefix, len);
        if (capture == Applicable.YES) {
            return TraceFormat.CAPTURE;
        }
        if (!complete && (perf == Applicable.UNSURE || capture == Applicable.UNSURE)) {
            return null; // a magic may still complete
        }
        if (BpftraceParser.isApplicable(prefix, len) == Applicable.YES) {
            return TraceFormat.BPFTRACE;
        }
        if (DropwatchParser.isApplicable(prefix, len) == Applicable.YES) {
            return TraceFormat.STAP;
        }
        if (TracefsParser.isApplicable(prefix, len) == Applicable.YES) {
            return TraceFormat.TRACEFS;
        }
        if (PerfScriptParser.isApplicable(prefix, len) == Applicable.YES) {
            return TraceFormat.PERF_SCRIPT;
        }
        return enough ? TraceFormat.UNKNOWN : null;
    }

    /** YES for the {@code PERFILE2} magic, UNSURE for a shorter prefix of it, else NO. */
    static Applicable perfData(byte[] prefix, int len) {
        int n = Math.min(len, PERF_MAGIC.length);
        for (int i = 0; i < n; i++) {
            if (prefix[i] != PERF_MAGIC[i]) {
                return Applicable.NO;
            }
        }
        return n == PERF_MAGIC.length ? Applicable.YES : Applicable.UNSURE;
    }

    /** YES when the first line is a JSON object naming {@code "droptop-capture"}; UNSURE while it is incomplete. */
    static Applicable capture(byte[] prefix, int len) {
        int p = Ascii.skipSpaces(prefix, 0, len);
        if (p == len || prefix[p] != '{') {
            return Applicable.NO;
        }
        int nl = Ascii.indexOf(prefix, p, len, (byte) '\n');
        if (Ascii.indexOf(prefix, p, nl < 0 ? len : nl, CAPTURE_MAGIC) >= 0) {
            return Applicable.YES;
        }
        return nl < 0 ? Applicable.UNSURE : Applicable.NO;
    }

    /** NUL bytes, or more than a tenth control bytes other than tab, newline, CR and ESC. */
    static boolean isBinary(byte[] b, int len) {
        int control = 0;
        for (int i = 0; i < len; i++) {
            int c = b[i] & 0xFF;
            if (c == 0) {
                return true;
            }
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != 0x1B || c == 0x7F) {
                control++;
            }
        }
        return control * 10 > len;
    }

    private static int countLines(byte[] b, int len) {
        int n = 0;
        for (int i = 0; i < len; i++) {
            if (b[i] == '\n') {
                n++;
            }
        }
        return n;
    }
}
