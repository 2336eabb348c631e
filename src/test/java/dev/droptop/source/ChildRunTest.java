package dev.droptop.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.droptop.model.DropSink;
import dev.droptop.model.Warnings;
import dev.droptop.parse.TraceParser;
import dev.droptop.testing.Await;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stopping a child backend keeps what it prints on SIGINT: bpftrace's END block holds the last
 * partial interval (its drops and flows). Closing the process closes its stdout, so a close that
 * did not first read the pipe to its end lost that block whenever the machine was busy (a capture
 * ended by its load command counted 896 of 1024 drops and none of their flows).
 */
class ChildRunTest {
    /** More than a pipe holds (64 KiB), printed on SIGINT, then an end line, then exit. */
    private static final int LAST_PRINT = 300_000;

    @TempDir
    Path tmp;

    @Test
    void whatTheChildPrintsOnSigintIsReadToTheEnd() throws Exception {
        Path script = tmp.resolve("child.sh");
        Files.writeString(script, "trap 'head -c " + LAST_PRINT + " /dev/zero | tr \"\\\\000\" x; echo; echo END; exit 0' INT\n"
                + "echo ready\n"
                + "while :; do sleep 0.05; done\n");
        for (int round = 0; round < 5; round++) {
            Reading parser = new Reading();
            ChildRun run = ChildRun.start("child", List.of("sh", script.toString()), parser, true, line -> false, null);
            try {
                Await.until("the child's first line", 30_000, () -> parser.ready);
            } finally {
                run.close();
            }
            assertTrue(parser.ended, "round " + round + ": the END line after SIGINT was not read");
            assertEquals(LAST_PRINT, parser.xs, "round " + round + ": bytes of the last print read");
        }
    }

    /** Counts the x bytes and notes the ready and END lines, pausing after each read. */
    private static final class Reading implements TraceParser {
        volatile boolean ready;
        volatile boolean ended;
        volatile long xs;

        @Override
        public void parse(InputStream in, DropSink sink) throws IOException {
            byte[] buf = new byte[8192];
            StringBuilder tail = new StringBuilder();
            for (int n; (n = in.read(buf)) > 0; ) {
                java.util.concurrent.locks.LockSupport.parkNanos(2_000_000); // as slow as a parser on a busy machine
                for (int i = 0; i < n; i++) {
                    if (buf[i] == 'x') {
                        xs++;
                    }
                }
                tail.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1).replace("x", ""));
                ready |= tail.indexOf("ready\n") >= 0;
                ended |= tail.indexOf("\nEND\n") >= 0;
                if (tail.length() > 64) {
                    tail.delete(0, tail.length() - 64);
                }
            }
        }

        @Override
        public Warnings warnings() {
            return new Warnings();
        }

        @Override
        public long drops() {
            return 0;
        }
    }
}
