package dev.droptop.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.droptop.testing.KernelTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The dashboard and the systemd unit name only metric families and options that exist. */
class DeployFilesTest {
    static final Set<String> FAMILIES = Set.of("droptop_drops_total", "droptop_lost_events_total",
            "droptop_conntrack_entries", "droptop_conntrack_max", "droptop_conntrack_drops_total", "droptop_finding",
            "droptop_build_info", "droptop_up", "droptop_backend_restarts_total", "droptop_series_dropped_total");

    @Test
    void dashboardQueriesUseExportedFamilies() throws Exception {
        JsonNode d = new ObjectMapper().readTree(KernelTest.projectDir().resolve("deploy/grafana/droptop.json").toFile());
        int exprs = 0;
        for (JsonNode panel : d.get("panels")) {
            for (JsonNode t : panel.get("targets")) {
                Matcher m = Pattern.compile("droptop_[a-z_]+").matcher(t.get("expr").asText());
                assertTrue(m.find(), t.toString());
                do {
                    assertTrue(FAMILIES.contains(m.group()), "unknown family " + m.group() + " in " + t);
                } while (m.find());
                exprs++;
            }
        }
        assertTrue(exprs >= 8);
    }

    @Test
    void systemdUnitRunsExportOnLoopback() throws Exception {
        String unit = Files.readString(KernelTest.projectDir().resolve("deploy/systemd/droptop-export.service"));
        Matcher m = Pattern.compile("(?m)^ExecStart=.* -jar \\S+ (export .*)$").matcher(unit);
        assertTrue(m.find(), unit);
        String args = m.group(1);
        assertTrue(args.contains("--listen 127.0.0.1:"), args);
        assertFalse(unit.contains("0.0.0.0"));
        assertEquals("SIGTERM", unit.replaceAll("(?s).*\\nKillSignal=(\\S+).*", "$1"));
    }

    @Test
    void readmeNamesEveryFamily() throws Exception {
        String readme = Files.readString(KernelTest.projectDir().resolve("README.md"));
        for (String f : FAMILIES) {
            assertTrue(readme.contains("`" + f), f + " documented in README");
        }
        Path rules = KernelTest.projectDir().resolve("deploy/prometheus/droptop.rules.yml");
        assertTrue(Files.exists(rules));
    }
}
