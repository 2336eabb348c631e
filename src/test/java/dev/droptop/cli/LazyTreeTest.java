package dev.droptop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * A run builds only the command it invokes ({@link Main#commandLineFor}); to its user that tree must be the
 * whole one: the same usage text for the command and everything under it, the same version, the same
 * answer to a bad option, at every width.
 */
class LazyTreeTest {
    private static final List<String> PROBES = List.of("--help", "-h", "-V", "--version", "--bogus-option",
            "--fromat", "--help=x");

    @Test
    void eachCommandAloneIsTheWholeTreesCommand() {
        CommandLine full = Main.commandLine();
        List<List<String>> paths = new ArrayList<>();
        full.getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help")) {
                collect(sub, List.of(name), paths);
            }
        });
        assertTrue(paths.size() >= 17, paths.toString());
        for (List<String> path : paths) {
            for (int width : new int[] {55, 80, 160}) {
                assertEquals(CliHelpTest.usage(node(Main.commandLine(), path), width),
                        CliHelpTest.usage(node(Main.commandLineFor(path.get(0)), path), width), path + " at " + width);
            }
            for (String probe : PROBES) {
                List<String> args = new ArrayList<>(path);
                args.add(probe);
                String[] argv = args.toArray(String[]::new);
                assertEquals(execute(Main.commandLine(), argv), execute(Main.commandLineFor(argv), argv),
                        args.toString());
            }
        }
    }

    @Test
    void aLoneVersionNeedsNoCommands() {
        for (String v : List.of("-V", "--version")) {
            assertTrue(Main.commandLineFor(v).getSubcommands().isEmpty());
            assertEquals(execute(Main.commandLine(), v), execute(Main.commandLineFor(v), v));
        }
        assertEquals(execute(Main.commandLine(), "-V", "reprot"), execute(Main.commandLineFor("-V", "reprot"),
                "-V", "reprot"));
    }

    /** Anything but a command's name first gets the whole tree: its help lists them, its typos are matched. */
    @Test
    void helpTyposAndOptionsFirstGetTheWholeTree() {
        int all = Main.commandLine().getSubcommands().size();
        for (String[] argv : new String[][] {{"help"}, {"help", "report"}, {"--help"}, {"-h"}, {"reprot"},
                {"-V", "report"}, {"completion"}, {"REPORT"}}) {
            CommandLine cl = Main.commandLineFor(argv);
            if (argv[0].equals("completion")) {
                assertEquals(List.of("completion"), List.copyOf(cl.getSubcommands().keySet()));
                continue;
            }
            assertEquals(all, cl.getSubcommands().size(), String.join(" ", argv));
            assertEquals(execute(Main.commandLine(), argv), execute(cl, argv), String.join(" ", argv));
        }
        assertEquals(List.of("live"), List.copyOf(Main.commandLineFor().getSubcommands().keySet()));
    }

    /** The table of names in {@code Main} says what each class's {@code @Command} says. */
    @Test
    void namesAreTheCommandsOwn() {
        CommandLine full = Main.commandLine();
        for (String name : full.getSubcommands().keySet()) {
            if (!name.equals("help")) {
                CommandLine one = Main.commandLineFor(name);
                assertEquals(List.of(name), List.copyOf(one.getSubcommands().keySet()));
                assertEquals(full.getSubcommands().get(name).getCommand().getClass(),
                        one.getSubcommands().get(name).getCommand().getClass());
            }
        }
        assertFalse(full.getSubcommands().isEmpty());
    }

    /** Main leaves out picocli's java.time and java.sql converters (start-up): no option may need one. */
    @Test
    void noOptionNeedsAnExcludedConverter() {
        List<CommandLine> all = new ArrayList<>();
        all.add(Main.commandLine());
        assertEquals("java\\.(time|sql)\\..*", System.getProperty(Main.EXCLUDED_CONVERTERS_PROPERTY));
        for (int i = 0; i < all.size(); i++) {
            CommandLine cl = all.get(i);
            all.addAll(cl.getSubcommands().values());
            for (CommandLine.Model.ArgSpec arg : cl.getCommandSpec().args()) {
                List<Class<?>> types = new ArrayList<>(List.of(arg.auxiliaryTypes()));
                types.add(arg.type());
                for (Class<?> t : types) {
                    assertFalse(t.getName().matches("java\\.(time|sql)\\..*"),
                            cl.getCommandSpec().qualifiedName() + " " + arg.paramLabel() + ": " + t.getName());
                }
            }
        }
    }

    private static void collect(CommandLine cl, List<String> path, List<List<String>> out) {
        out.add(path);
        cl.getSubcommands().forEach((name, sub) -> {
            List<String> p = new ArrayList<>(path);
            p.add(name);
            collect(sub, p, out);
        });
    }

    private static CommandLine node(CommandLine root, List<String> path) {
        CommandLine cl = root;
        for (String name : path) {
            cl = cl.getSubcommands().get(name);
            assertNotNull(cl, path.toString());
        }
        return cl;
    }

    /** Exit code, standard output and standard error of {@code args} (only ones that end before a command runs). */
    private static String execute(CommandLine cl, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        int code = cl.execute(args);
        return code + "\n--- out\n" + out + "--- err\n" + err;
    }
}
