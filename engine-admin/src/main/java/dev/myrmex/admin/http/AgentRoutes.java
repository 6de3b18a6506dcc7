package dev.myrmex.admin.http;

import static dev.myrmex.admin.http.JsonBodies.reply;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myrmex.core.AgentHandle;
import dev.myrmex.core.AgentNameTakenException;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.AgentState;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code /agents}: list, get, spawn from a registered factory, start, stop, pause, resume.
 *
 * <p>Threads: handlers run on the server's virtual threads, concurrently; the runtime's handles are thread-safe and
 * {@link #factoryOf} is a concurrent map.
 */
public final class AgentRoutes {
    private final AgentRuntime rt;
    private final int maxBody;
    /** The factory each agent spawned here came from: what {@code start} spawns it from again. */
    private final Map<String, String> factoryOf = new ConcurrentHashMap<>();

    public AgentRoutes(AgentRuntime rt, int maxBody) {
        this.rt = rt;
        this.maxBody = maxBody;
    }

    public void register(RoutesConfig routes) {
        routes.get("/agents", this::list);
        routes.post("/agents", this::spawn);
        routes.get("/agents/{name}", ctx -> reply(ctx, 200, Views.agent(agent(ctx))));
        routes.post("/agents/{name}/start", this::start);
        routes.post("/agents/{name}/stop", this::stop);
        routes.post("/agents/{name}/pause", ctx -> {
            AgentHandle<?> a = agent(ctx);
            try {
                a.pause();
            } catch (IllegalStateException e) {
                throw ApiException.conflict("AGENT_NOT_RUNNING", "agent '" + a.name() + "' is " + a.state()
                        + ": only a RUNNING agent can be paused", "see its state with GET /agents/" + a.name());
            }
            reply(ctx, 200, Views.agent(a));
        });
        routes.post("/agents/{name}/resume", ctx -> {
            AgentHandle<?> a = agent(ctx);
            try {
                a.resume();
            } catch (IllegalStateException e) {
                throw ApiException.conflict("AGENT_NOT_PAUSED", "agent '" + a.name() + "' is " + a.state()
                        + ": only a PAUSED agent can be resumed", "pause it first, or leave it running");
            }
            reply(ctx, 200, Views.agent(a));
        });
    }

    private void list(Context ctx) {
        AgentState state = Fields.queryEnum(ctx, "state", AgentState.class);
        int limit = Fields.queryInt(ctx, "limit", 1000, 1, 100_000);
        List<Map<String, Object>> agents = rt.agents().stream().filter(a -> state == null || a.state() == state)
                .limit(limit).map(Views::agent).toList();
        reply(ctx, 200, Map.of("agents", agents, "count", agents.size(), "factories",
                new TreeSet<>(rt.factoryNames())));
    }

    private void spawn(Context ctx) {
        JsonNode body = Fields.object(JsonBodies.body(ctx, maxBody), "an agent to spawn", List.of("name", "factory"));
        String name = Fields.requiredText(body, "name");
        String factory = Fields.requiredText(body, "factory");
        reply(ctx, 201, Views.agent(spawnFrom(name, factory)));
    }

    private AgentHandle<?> spawnFrom(String name, String factory) {
        if (!rt.factoryNames().contains(factory)) {
            throw ApiException.badRequest("UNKNOWN_FACTORY", "no agent factory is registered under '" + factory + "'",
                    "use one of " + new TreeSet<>(rt.factoryNames())
                            + " (registered with AgentRuntime.Builder.factory)");
        }
        try {
            AgentHandle<?> a = rt.spawn(name, factory);
            factoryOf.put(name, factory);
            return a;
        } catch (AgentNameTakenException e) {
            throw ApiException.conflict("AGENT_NAME_TAKEN", e.getMessage(), "choose another name, or stop agent '"
                    + name + "' first");
        }
    }

    /** Starts an agent that is not running, from its factory: the body's, or the one it was last spawned from here. */
    private void start(Context ctx) {
        String name = ctx.pathParam("name");
        Optional<AgentHandle<?>> live = rt.lookup(name).filter(a -> !a.state().isTerminal());
        if (live.isPresent()) {
            throw ApiException.conflict("AGENT_RUNNING", "agent '" + name + "' is " + live.get().state(),
                    "stop it first to start it afresh");
        }
        String factory = null;
        if (ctx.contentLength() > 0 || "chunked".equalsIgnoreCase(ctx.header("Transfer-Encoding"))) { // a body
            factory = Fields.optionalText(Fields.object(JsonBodies.body(ctx, maxBody), "the start request",
                    List.of("factory")), "factory");
        }
        if (factory == null) {
            factory = factoryOf.get(name);
        }
        if (factory == null) {
            throw ApiException.notFound("AGENT_NOT_FOUND", "no agent '" + name + "' was spawned here from a factory",
                    "give one: POST /agents/" + name + "/start with {\"factory\": \"...\"}");
        }
        reply(ctx, 201, Views.agent(spawnFrom(name, factory)));
    }

    private void stop(Context ctx) {
        AgentHandle<?> a = agent(ctx);
        String graceful = ctx.queryParam("graceful");
        if (graceful != null && !graceful.equals("true") && !graceful.equals("false")) {
            throw ApiException.badRequest("BAD_PARAMETER", "graceful must be true or false, not '" + graceful + "'",
                    "use ?graceful=false to interrupt the agent");
        }
        try {
            if ("false".equals(graceful)) {
                a.stopNow();
            } else {
                a.stop();
            }
        } catch (IllegalStateException e) {
            throw ApiException.conflict("AGENT_ENDING", "agent '" + a.name() + "' is " + a.state() + " already",
                    "nothing to stop");
        }
        reply(ctx, 200, Views.agent(a));
    }

    private AgentHandle<?> agent(Context ctx) {
        String name = ctx.pathParam("name");
        return rt.lookup(name).orElseThrow(() -> ApiException.notFound("AGENT_NOT_FOUND", "no agent named '" + name
                + "'", "list the agents with GET /agents"));
    }
}
