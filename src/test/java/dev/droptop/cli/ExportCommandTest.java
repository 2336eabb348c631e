package dev.droptop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.droptop.run.ExportOptions;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** export's option checks, before anything is traced or bound. */
class ExportCommandTest {
    @Test
    void listenDefaultsToLoopbackAndRefusesAnEmptyHost() throws Exception {
        InetSocketAddress a = ExportOptions.address("9465");
        assertEquals("127.0.0.1", a.getHostString());
        assertEquals(9465, a.getPort());
        assertTrue(ExportOptions.address("[::1]:9465").getAddress().isLoopbackAddress());
        CliRunner.Result r = CliRunner.run("export", "--listen", ":9465");
        assertEquals(2, r.code());
        assertTrue(r.stderr().contains("droptop does not listen on every address unless told"), r.stderr());
        r = CliRunner.run("export", "--listen", "127.0.0.1:99999");
        assertEquals(2, r.code());
        assertTrue(r.stderr().contains("port out of range"), r.stderr());
    }

    @Test
    void badLabelsAndCapsAreOneLine() throws Exception {
        CliRunner.Result r = CliRunner.run("export", "--listen", "127.0.0.1:0", "--labels", "location,pod");
        assertEquals(2, r.code());
        assertEquals("droptop: --labels: unknown label pod (use location,reason,protocol,netns,device)",
                r.stderr().strip());
        r = CliRunner.run("export", "--listen", "127.0.0.1:0", "--max-series", "0");
        assertEquals(2, r.code());
        assertTrue(r.stderr().contains("--max-series must be at least 1"), r.stderr());
    }
}
