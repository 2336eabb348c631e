package dev.droptop.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds droptop's probe scripts ({@code probes/drops.bt}, {@code stap/dropwatch.stp}) at run time.
 * They are plain files next to the jar's project, not jar resources, so that bpftrace and stap can
 * read them and users can read (and adapt) them. Looked up under, in order: the {@code droptop.home}
 * system property ({@code bin/droptop} sets it to the project directory), then the working directory.
 * Tests pass the project directory explicitly.
 */
public final class Scripts {
    public static final String HOME_PROPERTY = "droptop.home";
    private final List<Path> homes;

    public Scripts(List<Path> homes) {
        this.homes = List.copyOf(homes);
    }

    /** {@code droptop.home} (when set), then the working directory. */
    public static Scripts defaults() {
        List<Path> homes = new ArrayList<>();
        String home = System.getProperty(HOME_PROPERTY);
        if (home != null && !home.isBlank()) {
            homes.add(Path.of(home));
        }
        homes.add(Path.of(System.getProperty("user.dir")));
        return new Scripts(homes);
    }

    public static Scripts in(Path home) {
        return new Scripts(List.of(home));
    }

    /** The script, or null when no home has it. */
    public Path find(String relative) {
        for (Path home : homes) {
            Path p = home.resolve(relative);
            if (Files.isRegularFile(p)) {
                return p.toAbsolutePath();
            }
        }
        return null;
    }

    /**
     * The script, or an IOException saying where it was looked for, e.g.
     * {@code droptop script probes/drops.bt not found in /opt/droptop, /root (run droptop through bin/droptop)}.
     */
    public Path resolve(String relative) throws IOException {
        Path p = find(relative);
        if (p == null) {
            throw new IOException(missing(relative));
        }
        return p;
    }

    /** One line for a missing script. */
    public String missing(String relative) {
        List<String> dirs = new ArrayList<>();
        homes.forEach(h -> dirs.add(h.toString()));
        return "droptop script " + relative + " not found in " + String.join(", ", dirs)
                + " (run droptop through bin/droptop, which sets -D" + HOME_PROPERTY + ")";
    }
}
