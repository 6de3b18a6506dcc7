package dev.myrmex.cli.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * What every Myrmex command line does the same way: {@code --help} and {@code --version} on every command and
 * subcommand, {@code help [COMMAND]} and {@code version} as commands, and the build's version. Exit codes: 0 done
 * (help and version included), 2 bad arguments.
 */
public final class Conventions {
    /** The version of the build that made these classes, such as {@code 0.1.0-SNAPSHOT}. */
    public static final String VERSION = readVersion();

    private Conventions() {
    }

    private static String readVersion() {
        try (InputStream in = Conventions.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("version.properties is missing from engine-cli's classes: rebuild");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Gives {@code cl} and every command below it the conventions: {@code --help}/{@code --version} options, and
     * {@code help} and {@code version} subcommands on {@code cl} itself.
     *
     * @param tool the name the version line starts with, such as {@code "myrmex admin"}
     * @return {@code cl}
     */
    public static CommandLine apply(CommandLine cl, String tool) {
        String version = tool + " " + VERSION;
        if (!cl.getSubcommands().containsKey("help")) {
            cl.addSubcommand("help", new CommandLine.HelpCommand());
        }
        cl.addSubcommand("version", new VersionCommand(version));
        options(cl, version);
        return cl;
    }

    private static void options(CommandLine cl, String version) {
        CommandLine.Model.CommandSpec spec = cl.getCommandSpec();
        if (!spec.optionsMap().containsKey("--help")) { // picocli's help command has its own
            spec.mixinStandardHelpOptions(true);
        }
        if (spec.version().length == 0) { // a tool under the launcher keeps its own
            spec.version(version);
        }
        cl.getSubcommands().values().forEach(sub -> options(sub, version));
    }

    /** {@code version}: prints the tool's version line. */
    @Command(name = "version", description = "Prints the version.")
    static final class VersionCommand implements Runnable {
        private final String version;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        VersionCommand(String version) {
            this.version = version;
        }

        @Override
        public void run() {
            spec.commandLine().getOut().println(version);
            spec.commandLine().getOut().flush();
        }
    }
}
