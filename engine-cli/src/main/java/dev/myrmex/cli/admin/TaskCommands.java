package dev.myrmex.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** The task commands: submit, submit-batch, watch, status, run, cancel, tasks. */
final class TaskCommands {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TaskCommands() {
    }

    /** The parent command's client and output, shared by the subcommands. */
    abstract static class Base implements Callable<Integer> {
        @ParentCommand
        AdminCli cli;

        PrintWriter out() {
            return cli.spec.commandLine().getOut();
        }
    }

    @Command(name = "submit", description = "Submits a task and prints its id (--wait: and watches it to its end).")
    static final class Submit extends Base {
        @Parameters(index = "0", description = "the task's name (which workers take it)")
        String name;
        @Option(names = "--input", description = "the input, as JSON (for example '{\"width\": 800}')")
        String input;
        @Option(names = "--priority", description = "0 (first) to 100 (last); default 50")
        Integer priority;
        @Option(names = "--after", description = "a task id it waits for (repeatable)")
        List<Long> after = new ArrayList<>();
        @Option(names = "--timeout-ms", description = "how long one attempt may run")
        Long timeoutMs;
        @Option(names = "--retries", description = "retries after a failed attempt; default 0")
        Integer retries;
        @Option(names = "--wait", description = "watch it until it ends; exit 1 unless it succeeds")
        boolean await;

        @Override
        public Integer call() {
            ObjectNode task = JSON.createObjectNode().put("name", name);
            if (input != null) {
                task.set("input", parse(input, "--input"));
            }
            if (priority != null) {
                task.put("priority", priority);
            }
            if (!after.isEmpty()) {
                ArrayNode deps = task.putArray("dependencies");
                after.forEach(deps::add);
            }
            if (timeoutMs != null) {
                task.put("timeoutMs", timeoutMs);
            }
            if (retries != null) {
                task.put("maxRetries", retries);
            }
            AdminClient client = cli.client();
            long id = client.post("tasks", task.toString()).get("id").asLong();
            out().println(id);
            out().flush();
            return await ? Progress.watch(client, List.of(id), out()) : 0;
        }
    }

    @Command(name = "submit-batch", description = "Submits a JSON array of tasks (all or none) and prints their ids;"
            + " tasks name each other with \"key\" and \"after\": [keys].")
    static final class SubmitBatch extends Base {
        @Parameters(index = "0", description = "the file with the JSON array ('-': standard input)")
        String file;
        @Option(names = "--wait", description = "watch them until all end; exit 1 unless all succeed")
        boolean await;

        @Override
        public Integer call() throws IOException {
            String text;
            try {
                text = file.equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                        : Files.readString(Path.of(file));
            } catch (NoSuchFileException e) {
                throw new IllegalArgumentException("submit-batch: no file " + file);
            } catch (IOException | InvalidPathException e) {
                throw new IllegalArgumentException("submit-batch: cannot read " + file + ": " + e.getMessage());
            }
            JsonNode batch = parse(text, file);
            if (!batch.isArray()) {
                throw new IllegalArgumentException(file + " must hold a JSON array of tasks");
            }
            AdminClient client = cli.client();
            List<Long> ids = new ArrayList<>();
            client.post("tasks", batch.toString()).get("ids").forEach(id -> ids.add(id.asLong()));
            ids.forEach(out()::println);
            out().flush();
            return await ? Progress.watch(client, ids, out()) : 0;
        }
    }

    @Command(name = "watch", description = "Shows the tasks' progress until every one ends; exit 1 unless all"
            + " succeeded.")
    static final class Watch extends Base {
        @Parameters(arity = "1..*", description = "task ids")
        List<Long> ids;

        @Override
        public Integer call() {
            return Progress.watch(cli.client(), ids, out());
        }
    }

    @Command(name = "status", description = "Prints a task: request, status, reason, result.")
    static final class Status extends Base {
        @Parameters(index = "0", description = "the task id")
        long id;

        @Override
        public Integer call() {
            AdminCli.print(out(), cli.client().get("tasks/" + id));
            return 0;
        }
    }

    @Command(name = "run", description = "Prints a task's run: every progress report, output and error text.")
    static final class Run extends Base {
        @Parameters(index = "0", description = "the task id")
        long id;

        @Override
        public Integer call() {
            AdminCli.print(out(), cli.client().get("runs/" + id));
            return 0;
        }
    }

    @Command(name = "cancel", description = "Cancels a pending or running task (and its dependents).")
    static final class Cancel extends Base {
        @Parameters(index = "0", description = "the task id")
        long id;

        @Override
        public Integer call() {
            JsonNode t = cli.client().post("tasks/" + id + "/cancel", null);
            out().println("task " + id + " " + t.path("status").asText() + ": " + t.path("reason").asText());
            return 0;
        }
    }

    @Command(name = "tasks", description = "Lists tasks, newest first.")
    static final class Tasks extends Base {
        @Option(names = "--status", description = "only tasks in this status: PENDING, RUNNING, SUCCEEDED, FAILED,"
                + " TIMEOUT, CANCELLED")
        String status;
        @Option(names = "--limit", description = "at most this many; default 20")
        int limit = 20;

        @Override
        public Integer call() {
            JsonNode list = cli.client().get("tasks?limit=" + limit + (status == null ? "" : "&status="
                    + InfoCommands.enc(status)));
            out().printf("%-8s %-20s %-10s %-4s %-12s %s%n", "ID", "NAME", "STATUS", "PRI", "STAGE", "REASON");
            for (JsonNode t : list.get("tasks")) {
                out().printf("%-8d %-20s %-10s %-4d %-12s %s%n", t.get("id").asLong(), t.get("name").asText(),
                        t.get("status").asText(), t.get("priority").asInt(), t.path("stage").asText("-"),
                        t.get("reason").asText());
            }
            return 0;
        }
    }

    static JsonNode parse(String text, String where) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(where + " is not valid JSON: " + e.getMessage().lines().findFirst()
                    .orElse(""));
        }
    }
}
