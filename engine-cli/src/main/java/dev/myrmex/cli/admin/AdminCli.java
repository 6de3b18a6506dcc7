package dev.myrmex.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.myrmex.cli.common.Conventions;
import java.io.PrintWriter;
import java.net.URI;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code myrmex admin}: the management API from a terminal. {@code ./myrmex admin ARGS} runs it, through the
 * launcher of every tool, {@link dev.myrmex.cli.MyrmexCli}.
 *
 * <pre>
 * myrmex admin serve [--port 7070] [--journal DIR] [--demo-workers 4]   a runtime with the API, until Ctrl-C
 * myrmex admin submit NAME [--input JSON] [--priority P] [--after ID]... [--timeout-ms MS] [--retries N] [--wait]
 * myrmex admin submit-batch FILE [--wait]         a JSON array of tasks, naming each other by "key" and "after"
 * myrmex admin watch ID...                        progress until every task ends; exit 1 unless all SUCCEEDED
 * myrmex admin status ID | run ID | cancel ID | tasks [--status S] [--limit N]
 * myrmex admin queue [status|pause|resume] | agents | agent NAME get|spawn|start|stop|pause|resume [--factory F]
 * myrmex admin events [--type T]... [--agent A] [--task ID] [--severity S] [--since ISO] [--limit N]
 * myrmex admin metrics [--prometheus]
 * myrmex admin help [COMMAND] | version | COMMAND --help
 * </pre>
 *
 * The server and token come from {@code --url} and {@code --token}, or the environment: {@code MYRMEX_ADMIN_URL}
 * (default {@code http://127.0.0.1:7070}) and {@code MYRMEX_ADMIN_TOKEN} (printed by {@code serve}). Exit codes: 0
 * done (help and version too), 1 a watched task did not succeed, 2 bad arguments (a batch file that cannot be read
 * too), 3 the server cannot be reached, 4 the server refused the request (its reason code, message and hint are
 * printed), 5 {@code serve} cannot listen (the port is taken).
 */
@Command(name = "admin", mixinStandardHelpOptions = true,
        description = "Drives a Myrmex runtime through its management API: tasks, runs, the queue, agents, events.",
        subcommands = {ServeCommand.class, TaskCommands.Submit.class, TaskCommands.SubmitBatch.class,
                TaskCommands.Watch.class, TaskCommands.Status.class, TaskCommands.Run.class, TaskCommands.Cancel.class,
                TaskCommands.Tasks.class, InfoCommands.Queue.class, InfoCommands.Agents.class, InfoCommands.Agent.class,
                InfoCommands.Events.class, InfoCommands.Metrics.class})
public final class AdminCli implements Runnable {
    static final int NOT_SUCCEEDED = 1;
    static final int UNREACHABLE = 3;
    static final int REFUSED = 4;
    static final int CANNOT_SERVE = 5;
    static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Option(names = "--url", description = "the admin API (default: $MYRMEX_ADMIN_URL, else http://127.0.0.1:7070)")
    String url;

    @Option(names = "--token", description = "the bearer token (default: $MYRMEX_ADMIN_TOKEN)")
    String token;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command (--help lists them)");
    }

    /** The command line, with its exit codes for an unreachable server and refused requests: for the launcher. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new AdminCli());
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            PrintWriter err = line.getErr();
            if (e instanceof AdminClient.ApiError a) {
                err.println("myrmex-admin: " + a.code + " (HTTP " + a.status + "): " + a.getMessage());
                if (!a.hint.isEmpty()) {
                    err.println("  hint: " + a.hint);
                }
                return REFUSED;
            }
            if (e instanceof AdminClient.Unreachable u) {
                err.println("myrmex-admin: " + u.getMessage());
                return UNREACHABLE;
            }
            if (e instanceof IllegalArgumentException) {
                err.println("myrmex-admin: " + e.getMessage());
                return CommandLine.ExitCode.USAGE;
            }
            if (e instanceof IllegalStateException && parsed.subcommand() != null
                    && parsed.subcommand().commandSpec().userObject() instanceof ServeCommand) {
                err.println("myrmex-admin: cannot serve: " + e.getMessage());
                return CANNOT_SERVE;
            }
            throw e;
        });
        return Conventions.apply(cl, "myrmex admin");
    }

    /** A client for the chosen server and token. */
    AdminClient client() {
        String u = url != null ? url : System.getenv().getOrDefault("MYRMEX_ADMIN_URL", "http://127.0.0.1:7070");
        String t = token != null ? token : System.getenv("MYRMEX_ADMIN_TOKEN");
        URI uri;
        try {
            uri = URI.create(u.endsWith("/") ? u : u + "/");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--url is not a URL: " + u);
        }
        if (t == null || t.isBlank()) {
            throw new IllegalArgumentException("no token: give --token or set MYRMEX_ADMIN_TOKEN (the server printed"
                    + " it at start)");
        }
        return new AdminClient(uri, t);
    }

    /** Prints {@code json} indented. */
    static void print(PrintWriter out, JsonNode json) {
        try {
            out.println(PRETTY.writeValueAsString(json));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        out.flush();
    }
}
