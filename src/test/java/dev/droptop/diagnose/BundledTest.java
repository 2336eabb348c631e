package dev.droptop.diagnose;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resources read from the class's own jar or directory are what the class loader would give. */
class BundledTest {
    @TempDir
    Path tmp;

    @Test
    void aClassesResourceIsWhatItsClassLoaderGives() throws IOException {
        try (InputStream in = BundledTest.class.getResourceAsStream("/dev/droptop/diagnose/reasons.txt")) {
            String expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(expected, Bundled.text(ReasonCatalogue.class, "reasons.txt"));
        }
    }

    @Test
    void readsAnEntryOfAJarOrADirectory() throws IOException {
        byte[] text = "x: \u00e9t\u00e9\n".getBytes(StandardCharsets.UTF_8);
        Path jar = tmp.resolve("a.jar");
        try (OutputStream f = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(f)) {
            out.putNextEntry(new JarEntry("dev/droptop/x/data.txt"));
            out.write(text);
            out.closeEntry();
        }
        assertArrayEquals(text, Bundled.read(jar, "dev/droptop/x/data.txt"));
        assertNull(Bundled.read(jar, "dev/droptop/x/other.txt"));
        Path dir = Files.createDirectories(tmp.resolve("classes/dev/droptop/x"));
        Files.write(dir.resolve("data.txt"), text);
        assertArrayEquals(text, Bundled.read(tmp.resolve("classes"), "dev/droptop/x/data.txt"));
        assertNull(Bundled.read(tmp.resolve("classes"), "dev/droptop/x/other.txt"));
    }
}
