package dev.droptop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** {@code profile --input} over perf script text of other machines (FlameGraph's test inputs). */
class ProfileInputTest {
    private static final String DIR = "src/test/resources/flamegraph/";

    private static JsonNode json(String... args) throws IOException {
        CliRunner.Result r = CliRunner.run(args);
        assertEquals(0, r.code(), r.stderr());
        return new ObjectMapper().readTree(r.stdout());
    }

    @Test
    void oneEventPerProfileTheOthersListed() throws IOException {
        JsonNode first = json("profile", "--input", DIR + "perf-cycles-instructions-01.txt", "--format", "json");
        assertEquals("instructions", first.get("event").asText());
        assertEquals(333, first.get("samples").asLong());
        assertTrue(first.get("weight").isNull(), "no periods in this file: weight is unknown");
        assertEquals("cycles", first.get("otherEvents").get(0).get("event").asText());
        assertEquals(111, first.get("otherEvents").get(0).get("samples").asLong());

        JsonNode cycles = json("profile", "--input", DIR + "perf-cycles-instructions-01.txt", "--event", "cycles",
                "--format", "json");
        assertEquals("cycles", cycles.get("event").asText());
        assertEquals(111, cycles.get("samples").asLong());
        assertEquals("instructions", cycles.get("otherEvents").get(0).get("event").asText());
    }

    @Test
    void anEventNotInTheTraceIsOneLineNamingTheEvents() throws IOException {
        CliRunner.Result r = CliRunner.run("profile", "--input", DIR + "perf-cycles-instructions-01.txt", "--event",
                "cache-misses", "--format", "text");
        assertEquals(2, r.code());
        assertEquals(1, r.stderr().strip().lines().count(), r.stderr());
        assertTrue(r.stderr().contains("no samples of event cache-misses (events in it: instructions, cycles)"),
                r.stderr());
    }

    @Test
    void periodsWeighTheSamplesAsPerfReportDoes() throws IOException {
        JsonNode j = json("profile", "--input", DIR + "perf-java-faults-01.txt", "--format", "json");
        assertEquals("page-faults", j.get("event").asText());
        assertEquals(23, j.get("samples").asLong());
        assertEquals(200, j.get("weight").asLong());
        CliRunner.Result text = CliRunner.run("profile", "--input", DIR + "perf-rust-Yamakaky-dcpu.txt", "--format",
                "text");
        assertEquals(0, text.code(), text.stderr());
        assertTrue(text.stdout().startsWith("droptop profile: " + DIR + "perf-rust-Yamakaky-dcpu.txt, 58 samples of"
                + " cycles:u, weight 6850637 (sum of periods); top kernel network symbols"), text.stdout());
        assertTrue(text.stdout().contains("WEIGHT%"), text.stdout());
    }

    @Test
    void theOldFormatIsRead() throws IOException {
        JsonNode j = json("profile", "--input", DIR + "perf-java-stacks-02.txt", "--symbol", "native_write_msr_safe",
                "--format", "json");
        assertEquals("cycles", j.get("event").asText());
        assertEquals(2, j.get("samples").asLong());
        assertEquals(2, j.get("total").asLong());
        assertEquals(2, j.get("self").asLong());
        assertEquals("intel_pmu_enable_all", j.get("callers").get("children").get(0).get("frame").asText());
    }
}
