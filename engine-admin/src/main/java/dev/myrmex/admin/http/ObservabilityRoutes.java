package dev.myrmex.admin.http;

import static dev.myrmex.admin.http.JsonBodies.reply;

import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.journal.EventFilter;
import dev.myrmex.core.journal.EventJournal;
import dev.myrmex.core.journal.EventType;
import dev.myrmex.core.journal.Severity;
import dev.myrmex.core.metrics.PrometheusMetrics;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code /events} (the journal's query: type, agent, task, severity, since, limit; newest first), {@code /metrics}
 * (JSON) and {@code /metrics/prometheus} (Prometheus text), {@code /health}.
 */
public final class ObservabilityRoutes {
    private final AgentRuntime rt;
    private final PrometheusMetrics prometheus;

    public ObservabilityRoutes(AgentRuntime rt) {
        this.rt = rt;
        this.prometheus = new PrometheusMetrics(rt);
    }

    public void register(RoutesConfig routes) {
        routes.get("/events", this::events);
        routes.get("/metrics", ctx -> {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("runtime", rt.metrics());
            v.put("queue", rt.tasks().queueStatus());
            v.put("deadLetters", rt.deadLetters().count());
            reply(ctx, 200, v);
        });
        routes.get("/metrics/prometheus", ctx -> ctx.status(200)
                .contentType("text/plain; version=0.0.4; charset=utf-8").result(prometheus.scrape()));
        routes.get("/health", ctx -> reply(ctx, 200, rt.health()));
    }

    private void events(Context ctx) {
        EventFilter f = EventFilter.ALL;
        String types = ctx.queryParam("type");
        if (types != null && !types.isBlank()) {
            Set<EventType> set = EnumSet.noneOf(EventType.class);
            for (String t : types.split(",")) {
                try {
                    set.add(EventType.valueOf(t.strip().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw ApiException.badRequest("BAD_PARAMETER", "unknown event type '" + t.strip() + "'",
                            "use types from " + List.of(EventType.values()));
                }
            }
            f = new EventFilter(set, null, null, Severity.DEBUG, null);
        }
        String agent = ctx.queryParam("agent");
        if (agent != null && !agent.isBlank()) {
            f = f.agent(agent);
        }
        String task = ctx.queryParam("task");
        if (task != null && !task.isBlank()) {
            f = f.task(task);
        }
        Severity severity = Fields.queryEnum(ctx, "severity", Severity.class);
        if (severity != null) {
            f = f.minSeverity(severity);
        }
        String since = ctx.queryParam("since");
        if (since != null && !since.isBlank()) {
            try {
                f = f.since(Instant.parse(since));
            } catch (DateTimeParseException e) {
                throw ApiException.badRequest("BAD_PARAMETER", "since must be an ISO-8601 instant, not '" + since
                        + "'", "for example ?since=2026-01-31T12:00:00Z");
            }
        }
        int limit = Fields.queryInt(ctx, "limit", 100, 1, EventJournal.MAX_QUERY);
        rt.flushJournal(java.time.Duration.ofSeconds(1)); // what happened up to this request, as far as it can
        List<Map<String, Object>> events = rt.journal().query(f, limit).stream().map(Views::event).toList();
        reply(ctx, 200, Map.of("events", events, "count", events.size()));
    }
}
