package dev.myrmex.examples.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.examples.Captured;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Examples}, what {@code ./myrmex example NAME} runs: every example answers {@code --help} with its usage and
 * exit 0, and bad arguments with one line naming the problem and exit 2, before anything runs.
 */
class ExamplesLauncherTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) throws Exception {
        out.reset();
        err.reset();
        return Examples.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void everyExampleAnswersHelpWithItsUsageAndExitZero() throws Exception {
        for (Examples.Example e : Examples.ALL.values()) {
            for (String help : new String[] {"--help", "-h"}) {
                assertEquals(0, run(e.name(), help), e.name() + ": " + err());
                assertTrue(out().startsWith("usage: ./myrmex example " + e.name()), out());
                assertTrue(out().contains(e.summary()), out());
                assertEquals("", err());
            }
        }
        assertEquals(0, run("--help"));
        for (String name : Examples.ALL.keySet()) {
            assertTrue(out().contains("  " + name + " "), name + " is not listed: " + out());
        }
        assertEquals(11, Examples.ALL.size(), "an example added to ./myrmex example is added here, with its usage");
    }

    @Test
    void badArgumentsAreOneLineNamingTheProblemAndExitTwo() throws Exception {
        List<List<String>> bad = List.of(
                List.of("ping-pong", "many"), List.of("ping-pong", "1", "2"), List.of("pipeline", "0"),
                List.of("scheduler", "--rings", "3"), List.of("supervision", "--seconds"),
                List.of("policies", "--rate", "0"), List.of("journal", "--accounts", "x"),
                List.of("trading-swarm", "--analyzers", "0"), List.of("quorum-consensus", "--byzantine", "10"),
                List.of("sandbox", "extra"), List.of("tasks", "--fast"), List.of("demo", "--seconds", "0"),
                List.of("demo", "--port", "70000"), List.of("demo", "--keeep"), List.of("no-such-example"));
        for (List<String> args : bad) {
            assertEquals(Examples.USAGE, run(args.toArray(String[]::new)), args + ": " + out() + err());
            String line = err().strip();
            assertTrue(!line.isEmpty() && line.lines().count() == 1, args + " printed more than a line: " + err());
            assertTrue(line.startsWith("myrmex example"), line);
            assertEquals("", out(), args + " ran: " + out());
        }
        run("ping-pong", "many");
        assertTrue(err().contains("hits must be a whole number of at least 1, got 'many'"), err());
        run("tasks", "--fast");
        assertTrue(err().contains("takes no arguments"), err());
        run("no-such-example");
        assertTrue(err().contains("unknown example 'no-such-example'") && err().contains("trading-swarm"), err());
    }

    @Test
    void noNameListsTheExamplesAndIsAUsageError() throws Exception {
        assertEquals(Examples.USAGE, run());
        assertTrue(out().contains("ping-pong"), out());
    }

    @Test
    void anExampleRunsWithItsArguments() throws Exception {
        int[] exit = {-1};
        String printed = Captured.stdout(() -> exit[0] = run("ping-pong", "200"));
        assertEquals(0, exit[0]);
        assertTrue(printed.contains("202 hops"), printed);
    }
}
