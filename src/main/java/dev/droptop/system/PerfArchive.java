package dev.droptop.system;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * The kernel symbol tables in a {@code perf archive} bundle, by build-id. perf 6.1's
 * {@code perf archive perf.data} writes {@code perf.data.tar.bz2} ({@code tar cjf}) holding, for each
 * build-id with hits, the link {@code .build-id/48/dc540c...} and its target; for the kernel that is
 * the directory {@code [kernel.kallsyms]/<build-id>/} with the file {@code kallsyms} (a copy of the
 * recording host's /proc/kallsyms). Read front to back: a tar reader of our own over our own bzip2
 * decoder ({@link Bzip2InputStream}: the JDK has none, and no new dependency), the JDK's gzip, or plain tar.
 * Anything that is not such a bundle is an IOException with a one-line message.
 */
public final class PerfArchive {
    private static final Pattern KERNEL = Pattern.compile("(?:^|/)\\[kernel\\.kallsyms\\]/([0-9a-f]{8,128})/kallsyms$");
    private static final int BLOCK = 512;
    private static final long MAX_NAME = 64 << 10;

    private PerfArchive() {
    }

    /** Build-id to kernel symbol table; at least one entry, else an IOException. */
    public static Map<String, Kallsyms> read(Path file) throws IOException {
        byte[] magic = new byte[3];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(magic, 0, 3);
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such file");
        }
        if (n >= 3 && magic[0] == 'B' && magic[1] == 'Z' && magic[2] == 'h') {
            return bzip2(file);
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            if (n >= 2 && (magic[0] & 0xFF) == 0x1f && (magic[1] & 0xFF) == 0x8b) {
                return check(file, tar(new GZIPInputStream(in, 1 << 16)));
            }
            return check(file, tar(in));
        } catch (java.util.zip.ZipException e) {
            throw new IOException(file + ": corrupt gzip data (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw e.getMessage() != null && e.getMessage().startsWith(file.toString()) ? e
                    : new IOException(file + ": " + e.getMessage());
        }
    }

    private static Map<String, Kallsyms> bzip2(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(new Bzip2InputStream(
                new BufferedInputStream(Files.newInputStream(file), 1 << 16)), 1 << 16)) {
            return check(file, tar(in));
        } catch (IOException e) {
            String m = e.getMessage() == null ? "" : e.getMessage();
            if (m.startsWith(file.toString())) {
                throw e;
            }
            throw new IOException(file + ": " + (m.contains("bzip2") ? "corrupt archive (" + m + ")" : m));
        }
    }

    private static Map<String, Kallsyms> check(Path file, Map<String, Kallsyms> tables) throws IOException {
        if (tables.isEmpty()) {
            throw new IOException(file + ": no kernel symbols in it (expected [kernel.kallsyms]/<build-id>/kallsyms,"
                    + " as perf archive writes)");
        }
        return tables;
    }

    /** What to do with one kernel kallsyms entry of the archive (its build-id, its bytes as a stream). */
    private interface Entry {
        void accept(String buildId, InputStream content) throws IOException;
    }

    /** Reads a tar stream, keeping the kernel kallsyms files. */
    static Map<String, Kallsyms> tar(InputStream in) throws IOException {
        Map<String, Kallsyms> out = new LinkedHashMap<>();
        tar(in, (id, content) -> {
            Kallsyms k = Kallsyms.read(content);
            if (k.size() > 0) {
                out.put(id, k);
            }
        });
        return out;
    }

    /**
     * Writes the archive's kernel kallsyms files as perf's build-id cache does
     * ({@code dir/[kernel.kallsyms]/<build-id>/kallsyms}), for {@code perf --buildid-dir dir script};
     * returns the build-ids written (at least one, else an IOException).
     */
    public static java.util.Set<String> extract(Path file, Path dir) throws IOException {
        Map<String, Kallsyms> tables = read(file); // validates the whole archive first
        for (String id : tables.keySet()) {
            Path f = dir.resolve("[kernel.kallsyms]").resolve(id).resolve("kallsyms");
            Files.createDirectories(f.getParent());
            try (java.io.Writer w = Files.newBufferedWriter(f, StandardCharsets.US_ASCII)) {
                tables.get(id).writeTo(w);
            }
        }
        return tables.keySet();
    }

    private static void tar(InputStream in, Entry entry) throws IOException {
        byte[] h = new byte[BLOCK];
        String longName = null;
        long offset = 0;
        boolean any = false;
        while (true) {
            int got = in.readNBytes(h, 0, BLOCK);
            if (got == 0 && any) {
                return; // no end blocks: accepted, as GNU tar does with a warning
            }
            if (got < BLOCK) {
                throw new IOException(any ? "truncated tar archive at offset " + offset
                        : "not a perf archive (not a tar file)");
            }
            if (allZero(h)) {
                return;
            }
            if (!checksumOk(h)) {
                throw new IOException((any ? "corrupt tar header at offset " + offset : "not a perf archive (not a tar file)"));
            }
            any = true;
            long size = number(h, 124, 12);
            if (size < 0) {
                throw new IOException("corrupt tar header at offset " + offset + " (size)");
            }
            byte type = h[156];
            String name = longName != null ? longName : name(h);
            longName = null;
            offset += BLOCK;
            long padded = (size + BLOCK - 1) / BLOCK * BLOCK;
            if (type == 'L' || type == 'x') {
                if (size > MAX_NAME) {
                    throw new IOException("corrupt tar header at offset " + offset + " (long name)");
                }
                byte[] data = readFully(in, (int) size);
                skip(in, padded - size);
                longName = type == 'L' ? cString(data, 0, data.length) : paxPath(data);
            } else {
                Matcher m = KERNEL.matcher(name);
                if ((type == '0' || type == 0) && m.find()) {
                    Bounded content = new Bounded(in, size);
                    entry.accept(m.group(1), content);
                    content.transferTo(OutputSink.INSTANCE);
                    skip(in, padded - size);
                } else {
                    skip(in, padded);
                }
            }
            offset += padded;
        }
    }

    private static String name(byte[] h) {
        String name = cString(h, 0, 100);
        boolean ustar = h[257] == 'u' && h[258] == 's' && h[259] == 't' && h[260] == 'a' && h[261] == 'r';
        String prefix = ustar ? cString(h, 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    private static String paxPath(byte[] data) {
        String s = new String(data, StandardCharsets.UTF_8);
        for (String rec : s.split("\n")) {
            int sp = rec.indexOf(' ');
            if (sp > 0 && rec.startsWith("path=", sp + 1)) {
                return rec.substring(sp + 6);
            }
        }
        return null;
    }

    private static boolean allZero(byte[] h) {
        for (byte x : h) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean checksumOk(byte[] h) {
        long want = number(h, 148, 8);
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += i >= 148 && i < 156 ? ' ' : h[i] & 0xFF;
        }
        return want == sum;
    }

    /** An octal field (NUL or space terminated), or base-256 when its top bit is set; -1 when malformed. */
    private static long number(byte[] h, int at, int len) {
        if ((h[at] & 0x80) != 0) {
            long v = h[at] & 0x7F;
            for (int i = at + 1; i < at + len; i++) {
                if (v > (Long.MAX_VALUE >> 8)) {
                    return -1;
                }
                v = v << 8 | h[i] & 0xFF;
            }
            return v;
        }
        long v = 0;
        boolean digits = false;
        for (int i = at; i < at + len; i++) {
            byte c = h[i];
            if (c == 0 || c == ' ' && digits) {
                break;
            }
            if (c == ' ') {
                continue;
            }
            if (c < '0' || c > '7' || v > (Long.MAX_VALUE >> 3)) {
                return -1;
            }
            v = v * 8 + (c - '0');
            digits = true;
        }
        return v;
    }

    private static String cString(byte[] b, int at, int len) {
        int end = at;
        while (end < at + len && b[end] != 0) {
            end++;
        }
        return new String(b, at, end - at, StandardCharsets.UTF_8);
    }

    private static byte[] readFully(InputStream in, int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length < n) {
            throw new IOException("truncated tar archive");
        }
        return b;
    }

    private static void skip(InputStream in, long n) throws IOException {
        try {
            in.skipNBytes(n);
        } catch (EOFException e) {
            throw new IOException("truncated tar archive");
        }
    }

    /** The first {@code size} bytes of a stream, without closing it. */
    private static final class Bounded extends FilterInputStream {
        private long left;

        Bounded(InputStream in, long size) {
            super(in);
            this.left = size;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int c = in.read();
            if (c < 0) {
                throw new IOException("truncated tar archive");
            }
            left--;
            return c;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new IOException("truncated tar archive");
            }
            left -= n;
            return n;
        }

        @Override
        public void close() {
            // the archive stream stays open
        }
    }

    /** Discards what bzip2 writes after the tar end blocks. */
    private static final class OutputSink extends java.io.OutputStream {
        static final OutputSink INSTANCE = new OutputSink();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }
}
