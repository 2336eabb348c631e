package dev.droptop.parse;

import static dev.droptop.parse.Fixtures.sampleBytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FormatGuessTest {
    private static FormatGuess.Guess guess(byte[] b) throws IOException {
        return FormatGuess.guess(new ByteArrayInputStream(b));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @CsvSource({
        "perfscript_file_mode_sample.txt, PERF_SCRIPT",
        "perfscript_pipe_mode_sample.txt, PERF_SCRIPT",
        "tracefs_sample_plain.txt, TRACEFS",
        "tracefs_sample_trigger.txt, TRACEFS",
        "tracefs_sample_option.txt, TRACEFS",
        "bpftrace_kstack_sample.txt, BPFTRACE",
        "bpftrace_locreason_sample.txt, BPFTRACE",
        "bpftrace_printf_sample.txt, UNKNOWN",
    })
    void formatSamples(String file, TraceFormat expected) throws IOException {
        byte[] b = sampleBytes(file);
        FormatGuess.Guess g = guess(b);
        assertEquals(expected, g.format(), file);
        assertArrayEquals(b, g.replay().readAllBytes());
    }

    @Test
    void perfData() throws IOException {
        byte[] b = new byte[4096];
        new Random(1).nextBytes(b);
        System.arraycopy(ascii("PERFILE2"), 0, b, 0, 8);
        b[8] = 0;
        assertEquals(TraceFormat.PERF_DATA, guess(b).format());
    }

    @Test
    void capture() throws IOException {
        byte[] b = ascii("{\"type\":\"header\",\"format\":\"droptop-capture\",\"version\":1}\n"
                + "{\"type\":\"interval\",\"cells\":[]}\n");
        assertEquals(TraceFormat.CAPTURE, guess(b).format());
        assertEquals(TraceFormat.UNKNOWN, guess(ascii("{\"some\":\"other json\"}\n")).format());
    }

    @Test
    void droptopBpftraceHeader() throws IOException {
        byte[] b = ascii("Attaching 4 probes...\n"
                + "droptop-bpftrace 1 interval_ms=1000 keys=location,reason,protocol,netns,dev\n");
        assertEquals(TraceFormat.BPFTRACE, guess(b).format());
    }

    @Test
    void stap() throws IOException {
        assertEquals(TraceFormat.STAP, guess(ascii("Monitoring for dropped packets\n")).format());
        assertEquals(TraceFormat.STAP, guess(ascii("\n10031 packets dropped at nf_hook_slow\n")).format());
    }

    @Test
    void tracefsHeaderAndFramesAlone() throws IOException {
        assertEquals(TraceFormat.TRACEFS, guess(ascii("# tracer: nop\n#\n")).format());
        assertEquals(TraceFormat.TRACEFS, guess(ascii(" => tcp_v4_rcv\n => ip_rcv\n")).format());
    }

    @Test
    void binaryNoiseIsUnknown() throws IOException {
        byte[] b = new byte[100_000];
        new Random(7).nextBytes(b);
        FormatGuess.Guess g = guess(b);
        assertEquals(TraceFormat.UNKNOWN, g.format());
        assertArrayEquals(b, g.replay().readAllBytes());
        byte[] controls = new byte[200];
        java.util.Arrays.fill(controls, (byte) 1);
        assertEquals(TraceFormat.UNKNOWN, guess(controls).format());
    }

    @Test
    void emptyStream() throws IOException {
        FormatGuess.Guess g = guess(new byte[0]);
        assertEquals(TraceFormat.UNKNOWN, g.format());
        assertEquals(0, g.replay().readAllBytes().length);
    }

    @Test
    void replayReturnsEverythingPastThePrefixLimit() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            sb.append("line ").append(i).append(" of some unrecognised text\n");
        }
        byte[] b = ascii(sb.toString());
        FormatGuess.Guess g = guess(b);
        assertEquals(TraceFormat.UNKNOWN, g.format());
        assertArrayEquals(b, g.replay().readAllBytes());
    }

    /** A live pipe: the guess must not wait for more than it needs. */
    @Test
    void decidesWithoutReadingAheadOnALivePipe() throws IOException {
        byte[] first = sampleBytes("tracefs_sample_plain.txt");
        int firstLine = new String(first, StandardCharsets.US_ASCII).indexOf('\n') + 1;
        InputStream live = new InputStream() {
            private int pos;

            @Override
            public int read() {
                throw new AssertionError("single-byte read");
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos >= firstLine) {
                    throw new AssertionError("read past the first line: the guess would block on a live pipe");
                }
                int n = Math.min(len, firstLine - pos);
                System.arraycopy(first, pos, b, off, n);
                pos += n;
                return n;
            }
        };
        FormatGuess.Guess g = FormatGuess.guess(live);
        assertEquals(TraceFormat.TRACEFS, g.format());
        byte[] replayed = new byte[firstLine];
        assertEquals(firstLine, g.replay().read(replayed, 0, firstLine));
        assertArrayEquals(java.util.Arrays.copyOf(first, firstLine), replayed);
    }
}
