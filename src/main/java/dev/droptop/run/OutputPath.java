package dev.droptop.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks a file name the user gave for droptop to write (capture, report, profile data): droptop runs
 * as root, so a path that ends up in {@code /proc}, {@code /sys} or {@code /dev}, directly, through
 * a symlinked directory or through a symlink as the file itself (dangling or not), is refused with a
 * {@link UserError} (exit 2) instead of writing a kernel setting or a device.
 */
public final class OutputPath {
    private static final int MAX_LINKS = 40;

    private OutputPath() {
    }

    /** Returns {@code output} when droptop may write it; {@code -} (standard output) always passes. */
    public static Path check(Path output) throws IOException {
        if ("-".equals(output.toString())) {
            return output;
        }
        Path target = output.toAbsolutePath();
        for (int i = 0; Files.isSymbolicLink(target); i++) {
            if (i == MAX_LINKS) {
                throw new UserError(output + ": too many levels of symbolic links");
            }
            target = target.resolveSibling(Files.readSymbolicLink(target));
        }
        Path dir = target.getParent();
        Path real;
        try {
            real = dir == null ? target : dir.toRealPath().resolve(target.getFileName());
        } catch (IOException e) {
            throw new UserError(output + ": no such directory " + dir);
        }
        for (String forbidden : new String[] {"/proc", "/sys", "/dev"}) {
            if (real.startsWith(forbidden)) {
                throw new UserError(output + ": refusing to write under " + forbidden + " (resolves to " + real + ")");
            }
        }
        if (Files.isDirectory(real)) {
            throw new UserError(output + ": is a directory");
        }
        return output;
    }
}
