package dev.droptop.tui;

import dev.droptop.model.Sanitize;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code w}: the current view as a plain-text report, whole (every row of the table, every visible
 * line of the call graph as folded on screen, every finding with evidence and advice), not cut to the
 * terminal's height. Written to {@code droptop-view-YYYYMMDD-HHMMSS.txt} in the working directory, or
 * in the temporary directory when that one is not writable; never over an existing file.
 */
public final class ViewWriter {
    static final int WIDTH = 120;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);

    private ViewWriter() {
    }

    /** The report's lines. */
    public static List<String> lines(View view, ViewState v, Glyphs g) {
        List<String> out = new ArrayList<>();
        HeaderPane.render(view.frame(), v, WIDTH, g).forEach(l -> out.add(l.text()));
        out.add("");
        TablePane.render(view.rows(), view.selected(), true, WIDTH, view.rows().size() + 2, g, view.tableEmpty())
                .forEach(l -> out.add(l.text()));
        out.add("");
        int cursor = Math.min(v.treeCursor, Math.max(0, view.tree().size() - 1));
        TreePane.render(view.treeTitle(), view.tree(), cursor, false, WIDTH, view.tree().size() + 2, g,
                view.treeEmpty()).forEach(l -> out.add(l.text()));
        out.add("");
        out.add("FINDINGS (" + view.frame().findings().size() + ")");
        FindingsPane.body(view.frame().findings(), WIDTH).forEach(l -> out.add(l.text()));
        List<String> clean = new ArrayList<>(out.size());
        out.forEach(l -> clean.add(Sanitize.text(l).stripTrailing()));
        return clean;
    }

    /** Writes the report into {@code dir} (or the temporary directory) and returns where it went. */
    public static Path write(View view, ViewState v, Glyphs g, Path dir) throws IOException {
        return write(lines(view, v, g), dir);
    }

    /** The profile screen as it is, every line of the list or of both trees, runs of empty lines cut. */
    public static List<String> lines(ProfileView view, ProfileState s, Glyphs g) {
        int tall = 8 + 2 * Math.max(view.data().top().size(),
                view.isList() ? 0 : view.tree(ProfileState.Pane.CALLERS).size() + view.tree(ProfileState.Pane.CALLEES).size());
        List<String> out = new ArrayList<>();
        for (Line l : ProfileScreen.render(view, s, WIDTH, tall, g)) {
            String t = Sanitize.text(l.text()).stripTrailing();
            if (!(t.isEmpty() && (out.isEmpty() || out.get(out.size() - 1).isEmpty()))) {
                out.add(t);
            }
        }
        if (!out.isEmpty()) {
            out.remove(out.size() - 1); // the keys
        }
        return out;
    }

    /** Writes {@code lines} into {@code dir} (or the temporary directory) and returns where they went. */
    public static Path write(List<String> lines, Path dir) throws IOException {
        String text = String.join("\n", lines) + "\n";
        String name = "droptop-view-" + ZonedDateTime.now(ZoneOffset.UTC).format(STAMP);
        IOException first = null;
        for (Path d : List.of(dir, Path.of(System.getProperty("java.io.tmpdir")))) {
            for (int i = 0; i < 100; i++) {
                Path p = d.resolve(name + (i == 0 ? "" : "-" + i) + ".txt").toAbsolutePath();
                try {
                    Files.write(p, text.getBytes(StandardCharsets.UTF_8), java.nio.file.StandardOpenOption.CREATE_NEW,
                            java.nio.file.StandardOpenOption.WRITE);
                    return p;
                } catch (FileAlreadyExistsException e) {
                    // next number
                } catch (IOException e) {
                    first = first == null ? e : first;
                    break;
                }
            }
        }
        throw first == null ? new IOException("no free file name for " + name) : first;
    }
}
