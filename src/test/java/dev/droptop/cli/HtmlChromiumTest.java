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
 * Opens the HTML pages in headless Chromium (no network, throw-away profile) and checks what the
 * script drew: the drop page opens on the drop-point-first view (one nf_hook_slow of 1600 drops where
 * the flame graph has three towers), findings above the graph, the graph no taller than the window;
 * the profile page opens on the flame graph without [unknown] towers, or on the sandwich of --symbol.
 * Screenshots of every view go to {@code target/html-*.png} (look at them after a change).
 */
class HtmlChromiumTest {
    private static final String NAT = "samples/perf/nat-conntrack-full.perf.txt";
    private static final String PROFILE = "samples/perf/nat-load-cpu.profile";
    private static final Path PAGE = Path.of("target/flame-nat.html");
    private static final Path PROFILE_PAGE = Path.of("target/profile-nat.html");
    private static final Path SANDWICH_PAGE = Path.of("target/profile-nat-sandwich.html");
    private static final int WINDOW_HEIGHT = 1000;
    private static String chromium;

    @TempDir
    Path profile;

    @BeforeAll
    static void page() throws IOException {
        chromium = find("chromium", "chromium-browser", "google-chrome");
        assumeTrue(chromium != null, "chromium not installed (apt-get install chromium): browser test skipped");
        Files.createDirectories(PAGE.getParent());
        assertEquals(0, Main.run("report", "--format", "html", "-o", PAGE.toString(), NAT));
        assertEquals(0, Main.run("profile", "--input", PROFILE, "--format", "html", "-o", PROFILE_PAGE.toString()));
        assertEquals(0, Main.run("profile", "--input", PROFILE, "--symbol", "nf_hook_slow", "--format", "html", "-o",
                SANDWICH_PAGE.toString()));
    }

    @Test
    void dropPageOpensOnTheDropPointFirstViewWithOneNfHookSlow() throws Exception {
        String dom = chromium("--dump-dom", url(PAGE, "search=nf_hook_slow"));
        assertTrue(count(dom, "<div class=\"f k\\d( m)?\"") > 20, "too few frame elements");
        assertTrue(dom.contains("class=\"on\"") && Pattern.compile("id=\"view-drop\"[^>]*class=\"on\"|class=\"on\"[^>]*"
                + "id=\"view-drop\"").matcher(dom).find(), "the drop view is not the one selected");
        List<String> hooks = frames(dom, "nf_hook_slow");
        assertEquals(1, hooks.size(), "nf_hook_slow frames in the drop view: " + hooks);
        assertTrue(hooks.get(0).contains("nf_hook_slow \u2014 1600 drops, 75.40% of all") && hooks.get(0).contains("k2 m"),
                hooks.get(0));
        assertTrue(dom.contains("Matched: 75.40% (1600 of 2122)"), "matched share missing");
        assertTrue(dom.contains("<td>nf_hook_slow+0x7d</td><td>NETFILTER_DROP</td>"));
        assertTrue(dom.indexOf("id=\"finding-conntrack-table-full\"") < dom.indexOf("id=\"chart1\""),
                "findings are not above the graph");
        int height = wrapHeight(dom, "wrap1");
        assertTrue(height > 200 && height < WINDOW_HEIGHT, "graph box " + height + " px in a " + WINDOW_HEIGHT + " px window");
    }

    @Test
    void flameGraphIsOneClickAwayAndKeepsTheSeparateTowers() throws Exception {
        String dom = chromium("--dump-dom", url(PAGE, "view=flame"));
        List<String> hooks = frames(dom, "nf_hook_slow");
        List<Integer> counts = new ArrayList<>();
        for (String h : hooks) {
            Matcher m = Pattern.compile("nf_hook_slow \u2014 (\\d+) drops").matcher(h);
            assertTrue(m.find(), h);
            counts.add(Integer.parseInt(m.group(1)));
        }
        counts.sort(null);
        // rooted at the process end, the 1600 drops stand in separate towers (softirq after connect, ksoftirqd,
        // an interrupt in a JVM thread, an interrupt in the idle loop)
        assertEquals(List.of(200, 200, 300, 900), counts);
        assertTrue(dom.contains("id=\"view-flame\""), "no flame graph button");
    }

    @Test
    void profilePageHidesUnknownFramesUntilAsked() throws Exception {
        String hidden = chromium("--dump-dom", url(PROFILE_PAGE, ""));
        String shown = chromium("--dump-dom", url(PROFILE_PAGE, "unknown=show"));
        // JIT code has no symbol, only its perf map: a tower of [perf-NNNN.map] frames when shown
        int h = count(hidden, ">\\[perf-\\d+\\.map\\]</div>");
        int s = count(shown, ">\\[perf-\\d+\\.map\\]</div>");
        assertTrue(s > 10 && h < s / 10, "frames without a symbol: hidden " + h + ", shown " + s);
        assertTrue(hidden.contains("kernel network code") && !hidden.contains(">drop location<"), "legend of a drop page");
        assertTrue(!hidden.contains("id=\"view-drop\""), "a CPU profile has no drop view");
    }

    @Test
    void profileSymbolPageOpensOnTheSandwich() throws Exception {
        String dom = chromium("--dump-dom", url(SANDWICH_PAGE, ""));
        assertTrue(dom.contains("Callers of nf_hook_slow") && dom.contains("Callees of nf_hook_slow"), "no sandwich");
        List<String> hooks = frames(dom, "nf_hook_slow");
        assertEquals(2, hooks.size(), "nf_hook_slow once in the callers and once in the callees: " + hooks);
        // the profile is weighted by period (perf report's way): both halves hold all of nf_hook_slow's weight
        assertTrue(hooks.stream().allMatch(x -> x.contains("nf_hook_slow \u2014 300601200 period, 100.00% of all")),
                hooks.toString());
    }

    @Test
    void screenshotsOfEveryView() throws Exception {
        shot("html-drop.png", url(PAGE, ""));
        shot("html-flame.png", url(PAGE, "view=flame"));
        shot("html-profile.png", url(PROFILE_PAGE, ""));
        shot("html-profile-sandwich.png", url(SANDWICH_PAGE, ""));
    }

    private void shot(String name, String url) throws Exception {
        Path png = Path.of("target", name).toAbsolutePath();
        Files.deleteIfExists(png);
        chromium("--screenshot=" + png, url);
        assertTrue(Files.size(png) > 10_000, name + " too small");
    }

    /** The frame elements whose text is exactly {@code name}, as their opening tags. */
    private static List<String> frames(String dom, String name) {
        Matcher m = Pattern.compile("<div class=\"f k\\d( m)?\"[^>]*>" + Pattern.quote(name) + "</div>").matcher(dom);
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    private static int count(String dom, String regex) {
        Matcher m = Pattern.compile(regex).matcher(dom);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static int wrapHeight(String dom, String id) {
        Matcher m = Pattern.compile("id=\"" + id + "\"[^>]*style=\"[^\"]*(?<![-a-z])height: (\\d+)px").matcher(dom);
        assertTrue(m.find(), "no height on " + id);
        return Integer.parseInt(m.group(1));
    }

    private static String url(Path page, String query) {
        return page.toAbsolutePath().toUri() + (query.isEmpty() ? "" : "?" + query);
    }

    private String chromium(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile, "--window-size=1200," + WINDOW_HEIGHT));
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
