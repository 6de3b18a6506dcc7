package dev.myrmex.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The queue, agent, event and metrics commands. */
final class InfoCommands {
    private InfoCommands() {
    }

    @Command(name = "queue", description = "Shows the task queue, or pauses or resumes it.")
    static final class Queue extends TaskCommands.Base {
        @Parameters(index = "0", arity = "0..1", description = "status (default), pause or resume")
        String action = "status";

        @Override
        public Integer call() {
            JsonNode q = switch (action) {
                case "status" -> cli.client().get("queue");
                case "pause", "resume" -> cli.client().post("queue/" + action, null);
                default -> throw new IllegalArgumentException("queue takes status, pause or resume, not '" + action
                        + "'");
            };
            AdminCli.print(out(), q);
            return 0;
        }
    }

    @Command(name = "agents", description = "Lists the agents and the factories agents can be spawned from.")
    static final class Agents extends TaskCommands.Base {
        @Option(names = "--state", description = "only agents in this state")
        String state;

        @Override
        public Integer call() {
            JsonNode list = cli.client().get("agents" + (state == null ? "" : "?state=" + enc(state)));
            out().printf("%-24s %-10s %10s %8s %8s%n", "NAME", "STATE", "RECEIVED", "MAILBOX", "RESTARTS");
            for (JsonNode a : list.get("agents")) {
                out().printf("%-24s %-10s %10d %8d %8d%n", a.get("name").asText(), a.get("state").asText(),
                        a.get("received").asLong(), a.get("mailboxDepth").asInt(), a.get("restarts").asInt());
            }
            out().println("factories: " + list.get("factories"));
            return 0;
        }
    }

    @Command(name = "agent", description = "One agent, by name: get, spawn (from --factory), start, stop, pause or"
            + " resume it; for example 'agent worker-1 pause'.")
    static final class Agent extends TaskCommands.Base {
        private static final List<String> ACTIONS = List.of("get", "spawn", "start", "stop", "pause", "resume");

        @Parameters(index = "0", description = "the agent's name")
        String name;
        @Parameters(index = "1", description = "get, spawn, start, stop, pause or resume")
        String action;
        @Option(names = "--factory", description = "the registered factory to spawn (or start) it from")
        String factory;
        @Option(names = "--now", description = "stop: interrupt it rather than let it finish its message")
        boolean now;

        @Override
        public Integer call() {
            String path = "agents/" + enc(name);
            String withFactory = factory == null ? null : "{\"factory\":" + quote(factory) + "}";
            JsonNode a = switch (action) {
                case "get" -> cli.client().get(path);
                case "spawn" -> {
                    if (factory == null) {
                        throw new IllegalArgumentException("agent spawn needs --factory");
                    }
                    yield cli.client().post("agents", "{\"name\":" + quote(name) + ",\"factory\":" + quote(factory)
                            + "}");
                }
                case "start" -> cli.client().post(path + "/start", withFactory);
                case "stop" -> cli.client().post(path + "/stop?graceful=" + !now, null);
                case "pause", "resume" -> cli.client().post(path + "/" + action, null);
                default -> throw new IllegalArgumentException(ACTIONS.contains(name)
                        ? "write the agent's name first: agent " + action + " " + name
                        : "agent NAME takes get, spawn, start, stop, pause or resume, not '" + action + "'");
            };
            AdminCli.print(out(), a);
            return 0;
        }
    }

    @Command(name = "events", description = "Queries the journal's events, newest first.")
    static final class Events extends TaskCommands.Base {
        @Option(names = "--type", description = "an event type (repeatable)")
        List<String> types = new ArrayList<>();
        @Option(names = "--agent", description = "the agent's name")
        String agent;
        @Option(names = "--task", description = "the task's id")
        String task;
        @Option(names = "--severity", description = "the least severity: DEBUG, INFO, WARNING, ERROR, CRITICAL")
        String severity;
        @Option(names = "--since", description = "an ISO-8601 instant, such as 2026-11-21T10:00:00Z")
        String since;
        @Option(names = "--limit", description = "at most this many; default 50")
        int limit = 50;

        @Override
        public Integer call() {
            StringBuilder q = new StringBuilder("events?limit=").append(limit);
            if (!types.isEmpty()) {
                q.append("&type=").append(enc(String.join(",", types)));
            }
            param(q, "agent", agent);
            param(q, "task", task);
            param(q, "severity", severity);
            param(q, "since", since);
            for (JsonNode e : cli.client().get(q.toString()).get("events")) {
                out().printf("%s %-8s %-20s %-12s %-6s %s%n", e.get("time").asText(), e.get("severity").asText(),
                        e.get("type").asText(), e.path("agent").asText("-"), e.path("task").asText("-"),
                        e.get("details").asText());
            }
            return 0;
        }

        private static void param(StringBuilder q, String name, String value) {
            if (value != null) {
                q.append('&').append(name).append('=').append(enc(value));
            }
        }
    }

    @Command(name = "metrics", description = "Prints the runtime's metrics (JSON, or Prometheus text).")
    static final class Metrics extends TaskCommands.Base {
        @Option(names = "--prometheus", description = "the Prometheus text format")
        boolean prometheus;

        @Override
        public Integer call() {
            if (prometheus) {
                out().print(cli.client().getText("metrics/prometheus"));
                out().flush();
            } else {
                AdminCli.print(out(), cli.client().get("metrics"));
            }
            return 0;
        }
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String quote(String s) {
        return com.fasterxml.jackson.databind.node.TextNode.valueOf(s).toString();
    }
}
