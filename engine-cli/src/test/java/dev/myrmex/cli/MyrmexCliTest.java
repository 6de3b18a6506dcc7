package dev.myrmex.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.cli.common.Conventions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The one launcher: its usage, and the tools behind it (their own exit codes are in JournalCliTest, AdminCliTest). */
class MyrmexCliTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = MyrmexCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void helpListsEveryToolAndExitsZero() {
        assertEquals(0, run("--help"));
        assertTrue(out.toString().contains("journal") && out.toString().contains("admin"), out.toString());
        assertEquals(0, run("help", "journal"));
        assertTrue(out.toString().contains("verify") && out.toString().contains("repair"), out.toString());
        assertEquals(0, run("admin", "--help"));
        assertTrue(out.toString().contains("submit-batch"), out.toString());
        assertEquals(0, run("--version"));
        assertTrue(out.toString().contains("myrmex " + Conventions.VERSION), out.toString());
    }

    /** Every command line a user can type, found by walking the tree: each must answer --help and --version. */
    private static List<List<String>> everyCommand(CommandLine cl, List<String> path) {
        List<List<String>> all = new ArrayList<>();
        all.add(path);
        cl.getSubcommands().forEach((name, sub) -> {
            List<String> deeper = new ArrayList<>(path);
            deeper.add(name);
            all.addAll(everyCommand(sub, deeper));
        });
        return all;
    }

    @Test
    void everyCommandAnswersHelpAndVersionWithExitZeroAndHelpAndVersionAreCommandsToo() {
        List<List<String>> commands = everyCommand(MyrmexCli.commandLine(), List.of());
        assertTrue(commands.size() > 20, commands::toString);
        for (List<String> command : commands) {
            for (String option : new String[] {"--help", "--version"}) {
                out.getBuffer().setLength(0);
                List<String> line = new ArrayList<>(command);
                line.add(option);
                if (command.contains("help") && option.equals("--version")) {
                    continue; // picocli's help command takes a command name, not options of its own
                }
                assertEquals(0, run(line.toArray(String[]::new)), () -> line + ": " + err);
                String expected = option.equals("--help") ? "Usage: " : Conventions.VERSION;
                assertTrue(out.toString().contains(expected), line + " printed: " + out);
            }
        }
        for (String tool : new String[] {"admin", "journal"}) {
            out.getBuffer().setLength(0);
            assertEquals(0, run(tool, "version"));
            assertEquals("myrmex " + tool + " " + Conventions.VERSION, out.toString().strip());
            out.getBuffer().setLength(0);
            assertEquals(0, run(tool, "help", tool.equals("admin") ? "submit" : "tail"));
            assertTrue(out.toString().startsWith("Usage: myrmex " + tool), out.toString());
        }
        assertTrue(Conventions.VERSION.matches("\\d+\\.\\d+\\.\\d+.*"), Conventions.VERSION);
    }

    @Test
    void badArgumentsAreOneLineAndExitTwoOnEveryTool() {
        for (String[] line : new String[][] {{"admin", "--bogus"}, {"admin", "submit"}, {"admin", "frobnicate"},
                {"journal", "tail"}, {"journal", "query", "/tmp", "--limit", "many"}, {"--bogus"}}) {
            err.getBuffer().setLength(0);
            assertEquals(2, run(line), () -> List.of(line) + ": " + err);
            assertTrue(!err.toString().contains("\tat "), "no stack trace: " + err);
        }
    }

    @Test
    void aMissingOrUnknownToolIsAUsageError() {
        assertEquals(2, run());
        assertTrue(err.toString().contains("name a tool: journal or admin"), err.toString());
        assertEquals(2, run("jounral"));
        assertTrue(err.toString().contains("jounral"), err.toString());
    }

    /** A tool's failure gets that tool's answer: without the hand-over it would be picocli's stack trace, exit 1. */
    @Test
    void aToolsFailureEndsWithThatToolsExitCode() {
        assertEquals(2, run("admin", "--url", "http://no such host/", "--token", "t", "status", "1"), err::toString);
        assertTrue(err.toString().startsWith("myrmex-admin: --url is not a URL"), err.toString());
        assertEquals(3, run("journal", "verify", "/nonexistent/journal"));
        assertTrue(err.toString().contains("myrmex-journal: ") && err.toString().contains("no such directory"),
                err.toString());
    }
}
