package dev.droptop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens the HTML report of the NAT sample in headless Chromium (no network, throw-away profile):
 * the flame graph must render and the {@code ?search=nf_hook_slow} parameter must find the
 * conntrack drops. The screenshot goes to {@code target/flame-nat.png}.
 */
class HtmlChromiumTest {
    private static final String NAT = "samples/perf/nat-conntrack-full.perf.txt";
    private static final Path SHOT = Path.of("target/flame-nat.png");
    private static final Path PAGE = Path.of("target/flame-nat.html");
    private static String chromium;

    @TempDir
    Path profile;

    @BeforeAll
    static void page() throws IOException {
        chromium = find("chromium", "chromium-browser", "google-chrome");
        assumeTrue(chromium != null, "chromium not installed (apt-get install chromium): browser test skipped");
        Files.createDirectories(PAGE.getParent());
        assertEquals(0, Main.run("report", "--format", "html", "-o", PAGE.toString(), NAT));
    }

    @Test
    void flameGraphRendersAndSearchFindsNfHookSlow() throws Exception {
        String dom = chromium("--dump-dom", url());
        Matcher frames = Pattern.compile("<div class=\"f k\\d( m)?\"").matcher(dom);
        int n = 0;
        while (frames.find()) {
            n++;
        }
        assertTrue(n > 20, "frame elements in the DOM: " + n);
        assertTrue(Pattern.compile("<div class=\"f k2 m\"[^>]*>nf_hook_slow</div>").matcher(dom).find(),
                "nf_hook_slow not highlighted by the search");
        assertTrue(dom.contains("Matched: 75.40% (1600 of 2122)"), "matched share missing");
        assertTrue(dom.contains("<td>nf_hook_slow+0x7d</td><td>NETFILTER_DROP</td>"));
    }

    @Test
    void screenshot() throws Exception {
        Files.deleteIfExists(SHOT);
        chromium("--screenshot=" + SHOT.toAbsolutePath(), url());
        assertTrue(Files.size(SHOT) > 10_000, "screenshot too small");
    }

    private static String url() {
        return PAGE.toAbsolutePath().toUri() + "?search=nf_hook_slow";
    }

    private String chromium(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile, "--window-size=1200,1000"));
        cmd.addAll(List.of(args));
        File out = profile.resolve("stdout").toFile();
        Process p = new ProcessBuilder(cmd).redirectOutput(out).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish in 60 s");
        }
        assertEquals(0, p.exitValue(), "chromium exit code");
        return Files.readString(out.toPath());
    }

    private static String find(String... names) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            for (String name : names) {
                if (Files.isExecutable(Path.of(dir, name))) {
                    return Path.of(dir, name).toString();
                }
            }
        }
        return null;
    }
}
