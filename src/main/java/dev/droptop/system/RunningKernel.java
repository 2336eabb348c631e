package dev.droptop.system;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The kernel this machine runs: its release ({@code /proc/sys/kernel/osrelease}) and GNU build-id
 * (the NT_GNU_BUILD_ID note in {@code /sys/kernel/notes}, as {@code perf buildid-list -k} shows it).
 * System properties {@value #NOTES_PROPERTY} and {@value #RELEASE_PROPERTY} point elsewhere (tests).
 */
public record RunningKernel(String release, String buildId) {
    public static final String NOTES_PROPERTY = "droptop.kernel.notes";
    public static final String RELEASE_PROPERTY = "droptop.kernel.osrelease";
    private static final int NT_GNU_BUILD_ID = 3;
    private static final int MAX_NOTES = 1 << 16;

    public static RunningKernel read() {
        String release = null;
        try {
            release = Files.readString(Path.of(System.getProperty(RELEASE_PROPERTY, "/proc/sys/kernel/osrelease")),
                    StandardCharsets.US_ASCII).trim();
        } catch (IOException | RuntimeException e) {
            // unknown
        }
        String id = null;
        try {
            byte[] notes = Files.readAllBytes(Path.of(System.getProperty(NOTES_PROPERTY, "/sys/kernel/notes")));
            id = buildId(notes);
        } catch (IOException | RuntimeException e) {
            // unknown
        }
        return new RunningKernel(release == null || release.isEmpty() ? null : release, id);
    }

    /** The GNU build-id in a sequence of ELF notes (native byte order), or null. */
    public static String buildId(byte[] notes) {
        ByteBuffer b = ByteBuffer.wrap(notes, 0, Math.min(notes.length, MAX_NOTES)).order(ByteOrder.nativeOrder());
        int p = 0;
        while (p + 12 <= b.limit()) {
            int nameSize = b.getInt(p);
            int descSize = b.getInt(p + 4);
            int type = b.getInt(p + 8);
            if (nameSize < 0 || descSize < 0 || nameSize > MAX_NOTES || descSize > MAX_NOTES) {
                return null;
            }
            int name = p + 12;
            int desc = name + align4(nameSize);
            int next = desc + align4(descSize);
            if (next > b.limit() || next <= p) {
                return null;
            }
            if (type == NT_GNU_BUILD_ID && nameSize == 4 && notes[name] == 'G' && notes[name + 1] == 'N'
                    && notes[name + 2] == 'U' && notes[name + 3] == 0 && descSize > 0 && descSize <= 64) {
                return hex(notes, desc, descSize);
            }
            p = next;
        }
        return null;
    }

    static String hex(byte[] b, int from, int n) {
        StringBuilder s = new StringBuilder(2 * n);
        for (int i = from; i < from + n; i++) {
            s.append(Character.forDigit((b[i] >> 4) & 0xF, 16)).append(Character.forDigit(b[i] & 0xF, 16));
        }
        return s.toString();
    }

    private static int align4(int n) {
        return (n + 3) & ~3;
    }

    /** {@code 6.18.44-fc-v782 (build-id a3e4cd60...)}. */
    public String describe() {
        String r = release != null ? release : "an unknown release";
        return buildId != null ? r + " (build-id " + buildId + ")" : r;
    }
}
