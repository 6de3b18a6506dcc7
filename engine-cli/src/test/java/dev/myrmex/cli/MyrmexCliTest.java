package dev.myrmex.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
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
        assertTrue(out.toString().contains("myrmex 0.1"), out.toString());
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
