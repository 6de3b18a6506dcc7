package dev.myrmex.admin.http;

import static dev.myrmex.admin.http.JsonBodies.reply;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.json.Json;
import dev.myrmex.core.json.JsonDepthException;
import dev.myrmex.core.task.TaskGraphException;
import dev.myrmex.core.task.TaskId;
import dev.myrmex.core.task.TaskInfo;
import dev.myrmex.core.task.TaskRequest;
import dev.myrmex.core.task.TaskStatus;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code /tasks} (submit one or a batch, get, cancel, list), {@code /runs/{id}} (progress, output, error) and
 * {@code /queue} (status, pause, resume).
 *
 * <p>A task in a body: {@code {"name", "input", "priority", "dependencies": [ids], "timeoutMs", "maxRetries"}}, only
 * {@code name} required; in a batch (a JSON array) also {@code "key"} and {@code "after": [keys]}. Threads: handlers
 * run concurrently on virtual threads; the task queue is thread-safe.
 */
public final class TaskRoutes {
    /** The most tasks one batch may hold. */
    public static final int MAX_BATCH = 10_000;
    /** The fields of a task in a submission; any other is refused ({@code UNKNOWN_FIELD}). */
    static final List<String> TASK_FIELDS = List.of("name", "input", "priority", "timeoutMs", "maxRetries",
            "dependencies", "key", "after");

    private final AgentRuntime rt;
    private final int maxBody;

    public TaskRoutes(AgentRuntime rt, int maxBody) {
        this.rt = rt;
        this.maxBody = maxBody;
    }

    public void register(RoutesConfig routes) {
        routes.post("/tasks", this::submit);
        routes.get("/tasks", ctx -> {
            TaskStatus status = Fields.queryEnum(ctx, "status", TaskStatus.class);
            int limit = Fields.queryInt(ctx, "limit", 100, 1, 10_000);
            List<Map<String, Object>> tasks = rt.tasks().list(status, limit).stream().map(Views::task).toList();
            reply(ctx, 200, Map.of("tasks", tasks, "count", tasks.size()));
        });
        routes.get("/tasks/{id}", ctx -> reply(ctx, 200, Views.task(task(ctx))));
        routes.post("/tasks/{id}/cancel", ctx -> {
            TaskInfo t = task(ctx);
            if (!rt.tasks().cancel(t.id())) {
                TaskInfo now = rt.tasks().status(t.id()).orElse(t);
                throw ApiException.conflict("TASK_FINISHED", "task " + t.id() + " has ended already: " + now.status(),
                        "only PENDING or RUNNING tasks can be cancelled");
            }
            reply(ctx, 200, Views.task(rt.tasks().status(t.id()).orElse(t)));
        });
        routes.get("/runs/{id}", ctx -> reply(ctx, 200, Views.run(task(ctx))));
        routes.get("/queue", ctx -> reply(ctx, 200, rt.tasks().queueStatus()));
        routes.post("/queue/pause", ctx -> {
            rt.tasks().pause();
            reply(ctx, 200, rt.tasks().queueStatus());
        });
        routes.post("/queue/resume", ctx -> {
            rt.tasks().resume();
            reply(ctx, 200, rt.tasks().queueStatus());
        });
    }

    private void submit(Context ctx) {
        JsonNode body = JsonBodies.body(ctx, maxBody);
        boolean batch = body.isArray();
        List<TaskRequest> requests = new ArrayList<>();
        if (batch) {
            if (body.isEmpty() || body.size() > MAX_BATCH) {
                throw ApiException.badRequest("BAD_BATCH", "a batch holds 1 to " + MAX_BATCH + " tasks, not "
                        + body.size(), "send a JSON array of tasks");
            }
            int i = 0;
            for (JsonNode item : body) {
                requests.add(request(Fields.object(item, "task " + i++ + " of the batch", TASK_FIELDS), true));
            }
        } else {
            requests.add(request(Fields.object(body, "a task", TASK_FIELDS), false));
        }
        List<TaskId> ids;
        try {
            ids = rt.tasks().submitAll(requests); // a full queue is the server's to answer (503, Retry-After)
        } catch (TaskGraphException e) {
            throw ApiException.badRequest(switch (e.problem()) {
                case UNKNOWN_TASK -> "UNKNOWN_DEPENDENCY";
                case CYCLE -> "DEPENDENCY_CYCLE";
                case UNKNOWN_KEY, DUPLICATE_KEY -> "BAD_TASK";
            }, e.getMessage(), "fix the tasks' dependencies or keys");
        } catch (JsonDepthException e) {
            throw ApiException.badRequest(JsonBodies.TOO_DEEP, e.getMessage(), "send an input nested at most "
                    + e.limit() + " levels deep");
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("BAD_TASK", e.getMessage(), "fix the tasks' dependencies or keys");
        }
        if (batch) {
            reply(ctx, 201, Map.of("ids", ids.stream().map(TaskId::value).toList()));
        } else { // with no retention, a task that ended at once is forgotten already: its id is all there is
            reply(ctx, 201, rt.tasks().status(ids.getFirst()).<Map<String, Object>>map(Views::task)
                    .orElse(Map.of("id", ids.getFirst().value())));
        }
    }

    private static TaskRequest request(JsonNode o, boolean inBatch) {
        String name = Fields.requiredText(o, "name");
        JsonNode in = o.get("input");
        Json input = in == null || in.isNull() ? null : JsonBodies.toJson(in);
        int priority = (int) Fields.optionalLong(o, "priority", TaskRequest.DEFAULT_PRIORITY,
                TaskRequest.HIGHEST_PRIORITY, TaskRequest.LOWEST_PRIORITY);
        long timeoutMs = Fields.optionalLong(o, "timeoutMs", 0, 1, Long.MAX_VALUE / 1_000_000);
        int maxRetries = (int) Fields.optionalLong(o, "maxRetries", 0, 0, 1000);
        List<TaskId> deps = Fields.longs(o, "dependencies").stream().map(TaskId::new).toList();
        String key = Fields.optionalText(o, "key");
        List<String> after = Fields.texts(o, "after");
        if (!inBatch && (key != null || !after.isEmpty())) {
            throw ApiException.badRequest("BAD_FIELD", "'key' and 'after' name tasks of a batch",
                    "send a JSON array of tasks to use them, or use 'dependencies' with task ids");
        }
        try {
            return new TaskRequest(name, input, priority, deps, timeoutMs == 0 ? null : Duration.ofMillis(timeoutMs),
                    maxRetries, key, after);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("BAD_FIELD", e.getMessage(), "fix the task's fields");
        }
    }

    private TaskInfo task(Context ctx) {
        String text = ctx.pathParam("id");
        TaskId id;
        try {
            id = TaskId.parse(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("BAD_TASK_ID", "'" + text + "' is not a task id", "task ids are positive"
                    + " whole numbers, as POST /tasks returned");
        }
        return rt.tasks().status(id).orElseThrow(() -> ApiException.notFound("TASK_NOT_FOUND", "no task " + id
                + " (never submitted, or finished and forgotten)", "list tasks with GET /tasks"));
    }
}
