package dev.myrmex.jmh;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Entry point of {@code benchmarks.jar}: JMH's own command line, plus the JVM flags every Myrmex JVM needs, appended
 * to each fork. The flags come from the root pom ({@code myrmex.jvm.flags}) through a filtered resource, so they are
 * written down in one place only.
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws RunnerException, IOException {
        CommandLineOptions cli;
        try {
            cli = new CommandLineOptions(args);
        } catch (CommandLineOptionException e) {
            System.err.println("Error parsing command line: " + e.getMessage());
            System.exit(1);
            return;
        }
        if (cli.shouldHelp() || cli.shouldList() || cli.shouldListWithParams() || cli.shouldListProfilers()
                || cli.shouldListResultFormats()) {
            org.openjdk.jmh.Main.main(args);
            return;
        }
        List<String> jvmArgs = new ArrayList<>(cli.getJvmArgsAppend().orElse(List.of()));
        jvmArgs.addAll(jvmFlags());
        new Runner(new OptionsBuilder().parent(cli).jvmArgsAppend(jvmArgs.toArray(String[]::new)).build()).run();
    }

    /** The JVM flags from the root pom, as a list. */
    public static List<String> jvmFlags() throws IOException {
        try (InputStream in = BenchMain.class.getResourceAsStream("/myrmex-jvm.flags")) {
            if (in == null) {
                throw new IOException(
                        "myrmex-jvm.flags is missing from the benchmark jar: rebuild with ./myrmex bench");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            return Arrays.stream(text.split("\\s+")).filter(s -> !s.isEmpty()).toList();
        }
    }
}
