package dev.droptop.system;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.droptop.testing.KernelTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Our bzip2 decoder against the bzip2 tool's output: equal bytes, or an IOException, never other bytes. */
class Bzip2InputStreamTest {
    static byte[] bzip2(byte[] data, String level) throws Exception {
        Process p = new ProcessBuilder("bzip2", "-c", level).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Thread w = new Thread(() -> {
            try (var o = p.getOutputStream()) {
                o.write(data);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        w.start();
        byte[] out = p.getInputStream().readAllBytes();
        w.join();
        assertEquals(0, p.waitFor());
        return out;
    }

    static byte[] decode(byte[] bz) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Bzip2InputStream in = new Bzip2InputStream(new ByteArrayInputStream(bz))) {
            in.transferTo(out);
        }
        return out.toByteArray();
    }

    /** Text-like data with long runs (RLE1 counts up to 255 and beyond), random bytes, all byte values. */
    static byte[] mixed(int n, long seed) {
        Random r = new Random(seed);
        byte[] b = new byte[n];
        int i = 0;
        while (i < n) {
            int kind = r.nextInt(4);
            int len = Math.min(n - i, 1 + r.nextInt(kind == 0 ? 700 : 60));
            for (int k = 0; k < len; k++, i++) {
                b[i] = switch (kind) {
                    case 0 -> (byte) 'a';
                    case 1 -> (byte) r.nextInt(256);
                    case 2 -> (byte) ("ffffffff81000000 T _text\n".charAt(k % 25));
                    default -> (byte) (k & 0xFF);
                };
            }
        }
        return b;
    }

    @Test
    void sameBytesAsTheBzip2Tool() throws Exception {
        KernelTest.assumeTool("bzip2", "bzip2");
        for (int n : new int[] {0, 1, 5, 4096, 250_000}) {
            byte[] data = mixed(n, n);
            assertArrayEquals(data, decode(bzip2(data, "-9")), "n=" + n);
        }
        // many 100k blocks, and two concatenated streams (as cat a.bz2 b.bz2)
        byte[] big = mixed(1_200_000, 7);
        assertArrayEquals(big, decode(bzip2(big, "-1")));
        byte[] a = mixed(3000, 1);
        byte[] b = new byte[1000];
        byte[] cat = concat(bzip2(a, "-9"), bzip2(b, "-9"));
        assertArrayEquals(concat(a, b), decode(cat));
    }

    @Test
    void corruptOrTruncatedInputIsAnError() throws Exception {
        KernelTest.assumeTool("bzip2", "bzip2");
        byte[] data = mixed(50_000, 3);
        byte[] bz = bzip2(data, "-9");
        Random r = new Random(11);
        for (int t = 0; t < 40; t++) {
            byte[] bad = bz.clone();
            int at = 10 + r.nextInt(bad.length - 20);
            bad[at] ^= (byte) (1 << r.nextInt(8));
            try {
                byte[] got = decode(bad);
                // a flip in the trailing combined CRC or padding may decode the same bytes: never other bytes
                assertArrayEquals(data, got, "flip at " + at);
            } catch (IOException expected) {
                // fine
            }
        }
        assertThrows(IOException.class, () -> decode(Arrays.copyOf(bz, bz.length / 2)));
        assertThrows(IOException.class, () -> decode("BZh9garbage!!".getBytes()));
        assertThrows(IOException.class, () -> decode("PK\3\4".getBytes()));
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
