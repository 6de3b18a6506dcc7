package dev.myrmex.cli;

import dev.myrmex.cli.admin.AdminCli;
import dev.myrmex.cli.common.Conventions;
import dev.myrmex.cli.journal.JournalCli;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code myrmex}: the one launcher of Myrmex's command-line tools, each a subcommand with its own options, usage and
 * exit codes. {@code ./myrmex journal ARGS} and {@code ./myrmex admin ARGS} run it.
 *
 * <pre>
 * myrmex journal tail|query|export|verify|repair DIR ...   a journal directory (see {@link JournalCli})
 * myrmex admin serve|submit|watch|tasks|agents|events ...  the management API (see {@link AdminCli})
 * myrmex --help | --version | help TOOL
 * </pre>
 *
 * A tool's failures end with that tool's exit code (2 for bad arguments everywhere), whichever way it was started.
 */
@Command(name = "myrmex", mixinStandardHelpOptions = true,
        description = "Myrmex's command-line tools: 'journal' reads and mends a journal directory, 'admin' serves and"
                + " drives the management API.",
        subcommands = CommandLine.HelpCommand.class)
public final class MyrmexCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private MyrmexCli() {
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a tool: journal or admin (--help)");
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The launcher's command line: each tool's own, as a subcommand. picocli asks the top command's handler about a
     * failure (and gives a subcommand the top one's handler), so the launcher keeps each tool's handler and hands a
     * failure to the tool that ran, with the tool's part of the parse.
     */
    public static CommandLine commandLine() {
        Map<String, CommandLine> tools = new LinkedHashMap<>();
        tools.put("journal", JournalCli.commandLine());
        tools.put("admin", AdminCli.commandLine());
        Map<Object, CommandLine.IExecutionExceptionHandler> handlers = new IdentityHashMap<>(); // by the tool's object
        CommandLine cl = new CommandLine(new MyrmexCli());
        tools.forEach((name, tool) -> {
            handlers.put(tool.getCommand(), tool.getExecutionExceptionHandler());
            cl.addSubcommand(name, tool);
        });
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            CommandLine.ParseResult tool = parsed.subcommand();
            CommandLine.IExecutionExceptionHandler own = tool == null ? null
                    : handlers.get(tool.commandSpec().userObject());
            if (own == null) {
                throw e;
            }
            return own.handleExecutionException(e, line, tool);
        });
        return Conventions.apply(cl, "myrmex");
    }
}
