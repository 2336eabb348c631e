package dev.droptop.system;

import dev.droptop.model.ConntrackState;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The size of a conntrack entry from {@code /proc/slabinfo} (root only):
 * {@code nf_conntrack  128  192  256  16  1 : tunables ...}, the 4th column ({@code objsize}).
 * Falls back to the case study's 376 B and says so.
 */
public final class SlabInfo {
    public static final String SOURCE_SLABINFO = "/proc/slabinfo";
    public static final String SOURCE_DEFAULT = "case study default (no nf_conntrack slab readable in /proc/slabinfo)";

    /** An entry size and where it came from. */
    public record EntrySize(long bytes, String source) {
    }

    private SlabInfo() {
    }

    public static EntrySize conntrackEntry(ProcFs fs) {
        Path file = fs.proc("slabinfo");
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("nf_conntrack ")) {
                    String[] f = line.trim().split("\\s+");
                    long size = Long.parseLong(f[3]);
                    if (size > 0) {
                        return new EntrySize(size, SOURCE_SLABINFO);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // not root, or no slab of that name (SLUB merged it): use the default below
        }
        return new EntrySize(ConntrackState.DEFAULT_ENTRY_BYTES, SOURCE_DEFAULT);
    }
}
