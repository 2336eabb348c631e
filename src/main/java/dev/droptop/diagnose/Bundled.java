package dev.droptop.diagnose;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A text file droptop ships next to its classes (the reason catalogue, which every report reads), read
 * from the jar or directory the class came from. {@code Class.getResourceAsStream} asks the JDK's own
 * modules first: on first use that opens the runtime image reader (loading libjimage) and then a jar
 * URL connection, 6-8 ms of a 0.25 s report. Where the class has no file to come from, that is the way.
 */
final class Bundled {
    private Bundled() {
    }

    /** The UTF-8 text of resource {@code name} in {@code owner}'s package. */
    static String text(Class<?> owner, String name) {
        try {
            byte[] bytes = fromCodeSource(owner, name);
            if (bytes == null) {
                bytes = fromClassLoader(owner, name);
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("droptop cannot read its resource " + name, e);
        }
    }

    private static byte[] fromCodeSource(Class<?> owner, String name) throws IOException {
        CodeSource source = owner.getProtectionDomain().getCodeSource();
        URL url = source == null ? null : source.getLocation();
        if (url == null || !url.getProtocol().equals("file")) {
            return null;
        }
        Path where;
        try {
            where = Path.of(url.toURI());
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
        return read(where, owner.getPackageName().replace('.', '/') + '/' + name);
    }

    /** Entry {@code entry} of the jar or class directory {@code where}; null when it has none. */
    static byte[] read(Path where, String entry) throws IOException {
        if (Files.isDirectory(where)) {
            Path file = where.resolve(entry);
            return Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
        }
        try (ZipFile jar = new ZipFile(where.toFile())) {
            ZipEntry e = jar.getEntry(entry);
            if (e == null) {
                return null;
            }
            try (InputStream in = jar.getInputStream(e)) {
                return in.readAllBytes();
            }
        }
    }

    private static byte[] fromClassLoader(Class<?> owner, String name) throws IOException {
        try (InputStream in = owner.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("droptop is missing its resource " + name);
            }
            return in.readAllBytes();
        }
    }
}
