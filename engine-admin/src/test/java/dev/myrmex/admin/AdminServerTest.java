package dev.myrmex.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.Behavior;
import dev.myrmex.core.DirectContext;
import dev.myrmex.core.Val;
import dev.myrmex.core.codec.ValueCodec;
import dev.myrmex.core.json.Json;
import dev.myrmex.core.recovery.AgentFactory;
import dev.myrmex.core.recovery.Checkpointable;
import dev.myrmex.core.task.TaskSettings;
import dev.myrmex.core.task.TaskStage;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The management API through a real HTTP client: every route, and every way a request can be wrong. */
class AdminServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration T = Duration.ofSeconds(30);

    record Add(long n) implements Val {
    }

    /** A recoverable counter: what the API spawns from the "counter" factory. */
    static final class Counter implements Behavior<Add>, Checkpointable<Long> {
        private long total;

        Counter(Long restored) {
            total = restored == null ? 0 : restored;
        }

        @Override
        public void run(DirectContext<Add> ctx) throws Exception {
            while (true) {
                total += ctx.receive().payload().n();
            }
        }

        @Override
        public Long checkpoint() {
            return total;
        }
    }

    private AgentRuntime rt;
    private AdminServer admin;
    private final HttpClient http = HttpClient.newHttpClient();
    private final CountDownLatch release = new CountDownLatch(1);

    record Reply(int status, JsonNode body, HttpResponse<String> raw) {
        String code() {
            return body.path("error").path("code").asText();
        }
    }

    @BeforeEach
    void setUp() {
        rt = AgentRuntime.builder().workers(2).tasks(TaskSettings.DEFAULTS.withCapacity(20))
                .factory("counter", AgentFactory.of(ValueCodec.int64("long-v1"), (name, s) -> new Counter(s)))
                .build();
        rt.start();
        rt.tasks().spawnWorker("doubler", Set.of("double"), task -> {
            task.progress(TaskStage.EXECUTING, "doubling");
            task.output("got " + task.input());
            long n = ((Json.Obj) task.input()).get("n") instanceof Json.Int(long v) ? v : 0;
            return Json.of(Map.of("doubled", 2 * n));
        });
        rt.tasks().spawnWorker("waiter", Set.of("wait"), task -> {
            release.await();
            return null;
        });
        admin = AdminServer.start(rt, AdminConfig.defaults().withPort(0).withMaxBodyBytes(4096));
    }

    @AfterEach
    void tearDown() {
        release.countDown();
        admin.close();
        rt.close();
    }

    private Reply send(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(admin.uri().resolve(path)).timeout(T)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = r.body().isEmpty() ? JSON.nullNode() : r.headers().firstValue("Content-Type").orElse("")
                .startsWith("application/json") ? JSON.readTree(r.body()) : JSON.nullNode();
        return new Reply(r.statusCode(), json, r);
    }

    @Test
    void theAuthSchemeIsCaseInsensitiveAndOnlyBearerIsAccepted() throws Exception {
        for (String header : new String[] {"bearer " + admin.token(), "BEARER  " + admin.token()}) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(admin.uri().resolve("/health")).timeout(T)
                    .header("Authorization", header).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), header + ": " + r.body());
        }
        HttpResponse<String> basic = http.send(HttpRequest.newBuilder(admin.uri().resolve("/health")).timeout(T)
                .header("Authorization", "Basic " + admin.token()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, basic.statusCode(), basic.body());
        assertTrue(basic.body().contains("TOKEN_WRONG"), basic.body());
    }

    private Reply get(String path) throws Exception {
        return send("GET", path, null, admin.token());
    }

    private Reply post(String path, String body) throws Exception {
        return send("POST", path, body, admin.token());
    }

    private static void assertError(Reply r, int status, String code) {
        assertEquals(status, r.status(), r.raw().body());
        assertEquals(code, r.code(), r.raw().body());
        assertFalse(r.body().path("error").path("message").asText().isBlank());
        assertFalse(r.body().path("error").path("hint").asText().isBlank());
    }

    @Test
    void everyRouteNeedsTheTokenAndTheServerIsOnLoopbackOnVirtualThreads() throws Exception {
        assertEquals("127.0.0.1", admin.uri().getHost());
        for (String path : new String[] {"/agents", "/tasks", "/tasks/1", "/runs/1", "/queue", "/events", "/metrics",
                "/metrics/prometheus", "/health", "/no-such-route"}) {
            assertError(send("GET", path, null, null), 401, "TOKEN_MISSING");
            assertError(send("GET", path, null, "x" + admin.token()), 401, "TOKEN_WRONG");
        }
        Reply r = send("POST", "/tasks", "{\"name\":\"double\"}", null);
        assertError(r, 401, "TOKEN_MISSING");
        assertEquals("Bearer", r.raw().headers().firstValue("WWW-Authenticate").orElseThrow());
        assertEquals(0, rt.tasks().queueStatus().pending() + rt.tasks().queueStatus().running() + rt.tasks()
                .queueStatus().succeeded());
        assertEquals(200, get("/health").status());
        assertTrue(admin.lastRequestOnVirtualThread());
        assertError(get("/no-such-route"), 404, "ROUTE_NOT_FOUND");
    }

    @Test
    void aConfiguredTokenIsTheOnlyOneAcceptedAndShortOnesAreRefused() throws Exception {
        try (AdminServer other = AdminServer.start(rt, AdminConfig.defaults().withPort(0)
                .withToken("configured-token-0123456789"))) {
            HttpRequest req = HttpRequest.newBuilder(other.uri().resolve("/queue"))
                    .header("Authorization", "Bearer configured-token-0123456789").build();
            assertEquals(200, http.send(req, HttpResponse.BodyHandlers.ofString()).statusCode());
            assertEquals("configured-token-0123456789", other.token());
        }
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> AdminConfig.defaults().withToken("short"));
    }

    @Test
    void tasksAreSubmittedWatchedListedAndCancelled() throws Exception {
        Reply created = post("/tasks", "{\"name\":\"double\",\"input\":{\"n\":21},\"priority\":5,\"maxRetries\":1,"
                + "\"timeoutMs\":10000}");
        assertEquals(201, created.status(), created.raw().body());
        long id = created.body().get("id").asLong();
        assertEquals("double", created.body().get("name").asText());
        assertEquals(5, created.body().get("priority").asInt());
        rt.tasks().await(new dev.myrmex.core.task.TaskId(id), T);
        Reply task = get("/tasks/" + id);
        assertEquals("SUCCEEDED", task.body().get("status").asText());
        assertEquals(42, task.body().get("result").get("doubled").asLong());
        assertEquals(21, task.body().get("input").get("n").asLong());
        assertEquals(10_000, task.body().get("timeoutMs").asLong());
        Reply run = get("/runs/" + id);
        assertEquals("EXECUTING", run.body().get("stages").get(0).get("stage").asText());
        assertEquals("doubling", run.body().get("stages").get(0).get("message").asText());
        assertEquals("got {\"n\":21}\n", run.body().get("output").asText());
        assertFalse(run.body().get("finishedAt").isNull());

        Reply blocking = post("/tasks", "{\"name\":\"wait\"}");
        long waiting = blocking.body().get("id").asLong();
        Reply dependent = post("/tasks", "{\"name\":\"double\",\"input\":{\"n\":1},\"dependencies\":[" + waiting
                + "]}");
        assertEquals("PENDING", dependent.body().get("status").asText());
        Reply list = get("/tasks?status=pending&limit=10");
        assertEquals(1, list.body().get("count").asInt());
        assertEquals(dependent.body().get("id").asLong(), list.body().get("tasks").get(0).get("id").asLong());
        assertEquals(3, get("/tasks").body().get("count").asInt());
        Reply cancelled = post("/tasks/" + waiting + "/cancel", null);
        assertEquals(200, cancelled.status());
        assertEquals("CANCELLED", cancelled.body().get("status").asText());
        assertEquals("CANCELLED", get("/tasks/" + dependent.body().get("id").asLong()).body().get("status").asText());
        assertError(post("/tasks/" + waiting + "/cancel", null), 409, "TASK_FINISHED");
        assertError(post("/tasks/" + id + "/cancel", null), 409, "TASK_FINISHED");

        Reply batch = post("/tasks", "[{\"name\":\"double\",\"key\":\"a\",\"input\":{\"n\":2}},"
                + "{\"name\":\"double\",\"after\":[\"a\"],\"input\":{\"n\":3}}]");
        assertEquals(201, batch.status(), batch.raw().body());
        long second = batch.body().get("ids").get(1).asLong();
        assertEquals(6, rt.tasks().await(new dev.myrmex.core.task.TaskId(second), T).result() instanceof Json.Obj o
                && o.get("doubled") instanceof Json.Int(long v) ? v : -1);
    }

    @Test
    void badTaskRequestsAreRefusedWithTheirReason() throws Exception {
        assertError(post("/tasks", "{\"name\": \"double\", "), 400, "BAD_JSON");
        assertError(post("/tasks", "{\"name\": \"double\"} trailing"), 400, "BAD_JSON");
        assertError(post("/tasks", null), 400, "BODY_MISSING");
        assertError(post("/tasks", "{\"input\": 1}"), 400, "MISSING_FIELD");
        assertError(post("/tasks", "{\"name\": 7}"), 400, "BAD_FIELD");
        assertError(post("/tasks", "{\"name\": \"double\", \"priority\": 101}"), 400, "BAD_FIELD");
        assertError(post("/tasks", "{\"name\": \"double\", \"priority\": 1.5}"), 400, "BAD_FIELD");
        assertError(post("/tasks", "{\"name\": \"double\", \"timeoutMs\": 0}"), 400, "BAD_FIELD");
        assertError(post("/tasks", "{\"name\": \"double\", \"dependencies\": \"1\"}"), 400, "BAD_FIELD");
        Reply unknown = post("/tasks", "{\"name\": \"double\", \"timeout\": 100}"); // not a typo-tolerant API
        assertError(unknown, 400, "UNKNOWN_FIELD");
        assertTrue(unknown.body().toString().contains("'timeout'") && unknown.body().toString().contains("timeoutMs"),
                unknown.body().toString());
        assertError(post("/tasks", "[{\"name\": \"double\"}, {\"name\": \"double\", \"retries\": 3}]"), 400,
                "UNKNOWN_FIELD");
        assertError(post("/agents", "{\"name\": \"x\", \"factory\": \"f\", \"replicas\": 2}"), 400, "UNKNOWN_FIELD");
        assertError(post("/tasks", "{\"name\": \"double\", \"key\": \"k\"}"), 400, "BAD_FIELD");
        assertError(post("/tasks", "[1]"), 400, "BAD_FIELD");
        assertError(post("/tasks", "[]"), 400, "BAD_BATCH");
        assertError(post("/tasks", "{\"name\": \"double\", \"dependencies\": [999]}"), 400, "UNKNOWN_DEPENDENCY");
        assertError(post("/tasks", "[{\"name\":\"a\",\"key\":\"a\",\"after\":[\"b\"]},"
                + "{\"name\":\"b\",\"key\":\"b\",\"after\":[\"a\"]}]"), 400, "DEPENDENCY_CYCLE");
        assertError(post("/tasks", "{\"name\": \"double\", \"input\": \"" + "x".repeat(5000) + "\"}"), 413,
                "BODY_TOO_LARGE");
        byte[] big = ("{\"name\": \"double\", \"input\": \"" + "x".repeat(5000) + "\"}").getBytes();
        HttpResponse<String> chunked = http.send(HttpRequest.newBuilder(admin.uri().resolve("/tasks"))
                .header("Authorization", "Bearer " + admin.token()) // no length: the body streams in chunks
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(413, chunked.statusCode(), chunked.body());
        assertTrue(chunked.body().contains("BODY_TOO_LARGE"), chunked.body());
        assertError(get("/tasks/abc"), 400, "BAD_TASK_ID");
        assertError(get("/tasks/424242"), 404, "TASK_NOT_FOUND");
        assertError(get("/runs/424242"), 404, "TASK_NOT_FOUND");
        assertError(post("/tasks/424242/cancel", null), 404, "TASK_NOT_FOUND");
        assertError(get("/tasks?status=sleeping"), 400, "BAD_PARAMETER");
        assertError(get("/tasks?limit=0"), 400, "BAD_PARAMETER");
        assertEquals(0, rt.tasks().list(null, 100).size()); // none of these queued anything
    }

    /** {@code depth} arrays and objects in turn around a number, as JSON text: {@code [{"k":[7]}]} is 3 deep. */
    private static String nested(int depth) {
        StringBuilder open = new StringBuilder();
        StringBuilder close = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            boolean array = (depth - 1 - i) % 2 == 0; // the innermost level is an array, as in JsonTest
            open.append(array ? "[" : "{\"k\":");
            close.insert(0, array ? "]" : "}");
        }
        return open + "7" + close;
    }

    /** A result of the worker's own type: a chain of records. */
    record Link(int n, Link next) implements Val {
    }

    @Test
    void aResultTooDeepToWriteIsListedAsAPlaceholderAndBreaksNoListing() throws Exception {
        rt.tasks().spawnWorker("chainer", Set.of("chain"), task -> {
            Link l = null;
            for (int i = 0; i < 1200; i++) {
                l = new Link(i, l);
            }
            return l;
        });
        long id = post("/tasks", "{\"name\":\"chain\"}").body().get("id").asLong();
        assertEquals(dev.myrmex.core.task.TaskStatus.SUCCEEDED, rt.tasks().await(new dev.myrmex.core.task.TaskId(id), T)
                .status());
        post("/tasks", "{\"name\":\"double\",\"input\":{\"n\":1}}");
        Reply list = get("/tasks");
        assertEquals(200, list.status(), list.raw().body());
        assertEquals(2, list.body().get("count").asInt());
        JsonNode result = list.body().get("tasks").get(1).get("result");
        assertEquals(Link.class.getName(), result.get("unrepresentable").asText(), result.toString());
        assertEquals(200, get("/tasks/" + id).status());
    }

    @Test
    void inputsDeeperThanTheLimitAreRefusedAndTheDeepestAllowedIsListedAndReadBack() throws Exception {
        int max = Json.MAX_DEPTH;
        for (int depth : new int[] {max + 1, 600, 999}) {
            Reply one = post("/tasks", "{\"name\":\"wait\",\"input\":" + nested(depth) + "}");
            assertError(one, 400, "JSON_TOO_DEEP");
            assertTrue(one.body().path("error").path("message").asText().contains(String.valueOf(max)),
                    one.raw().body());
            assertError(post("/tasks", "[{\"name\":\"wait\",\"input\":" + nested(depth) + "}]"), 400,
                    "JSON_TOO_DEEP");
        }
        assertTrue(post("/tasks", "{\"name\":\"wait\",\"input\":" + nested(max + 1) + "}").body().path("error")
                .path("message").asText().contains("nests " + (max + 1) + " levels deep"), "the input's own depth");
        assertEquals(0, rt.tasks().list(null, 100).size(), "nothing deeper than the limit was queued");

        Reply deepest = post("/tasks", "{\"name\":\"wait\",\"input\":" + nested(max) + "}");
        assertEquals(201, deepest.status(), deepest.raw().body());
        Reply inBatch = post("/tasks", "[{\"name\":\"wait\",\"input\":" + nested(max) + "}]");
        assertEquals(201, inBatch.status(), inBatch.raw().body());
        Reply flat = post("/tasks", "{\"name\":\"wait\",\"input\":{\"n\":1}}");
        assertEquals(201, flat.status(), flat.raw().body());
        Reply list = get("/tasks");
        assertEquals(200, list.status(), list.raw().body());
        assertEquals(3, list.body().get("count").asInt(), "every task is listed");
        JsonNode listed = list.body().get("tasks").get(2).get("input");
        assertEquals(JSON.readTree(nested(max)), listed, "the deepest allowed input, listed as it went in");
        assertEquals(JSON.readTree(nested(max)), get("/tasks/" + deepest.body().get("id").asLong()).body()
                .get("input"));
    }

    @Test
    void aFullQueueIs503AndThePausedQueueHoldsTasks() throws Exception {
        Reply paused = post("/queue/pause", null);
        assertTrue(paused.body().get("paused").asBoolean());
        for (int i = 0; i < 20; i++) {
            assertEquals(201, post("/tasks", "{\"name\":\"double\",\"input\":{\"n\":" + i + "}}").status());
        }
        Reply full = post("/tasks", "{\"name\":\"double\"}");
        assertError(full, 503, "QUEUE_FULL");
        assertEquals("1", full.raw().headers().firstValue("Retry-After").orElseThrow());
        Reply status = get("/queue");
        assertEquals(20, status.body().get("pending").asInt());
        assertEquals(20, status.body().get("capacity").asInt());
        assertFalse(post("/queue/resume", null).body().get("paused").asBoolean());
        for (var t : rt.tasks().list(null, 100)) {
            rt.tasks().await(t.id(), T);
        }
        assertEquals(20, get("/queue").body().get("succeeded").asInt());
    }

    @Test
    void agentsAreListedSpawnedFromFactoriesPausedResumedStoppedAndStarted() throws Exception {
        Reply list = get("/agents");
        assertEquals(2, list.body().get("count").asInt()); // the two workers
        assertEquals("counter", list.body().get("factories").get(0).asText());
        Reply spawned = post("/agents", "{\"name\":\"c1\",\"factory\":\"counter\"}");
        assertEquals(201, spawned.status(), spawned.raw().body());
        assertEquals("c1", spawned.body().get("name").asText());
        assertEquals("RUNNING", get("/agents/c1").body().get("state").asText());
        assertError(post("/agents", "{\"name\":\"c1\",\"factory\":\"counter\"}"), 409, "AGENT_NAME_TAKEN");
        assertError(post("/agents", "{\"name\":\"c2\",\"factory\":\"nope\"}"), 400, "UNKNOWN_FACTORY");
        assertError(post("/agents", "{\"name\":\"c2\"}"), 400, "MISSING_FIELD");
        assertError(post("/agents", "not json"), 400, "BAD_JSON");
        assertEquals("PAUSED", post("/agents/c1/pause", null).body().get("state").asText());
        assertError(post("/agents/c1/pause", null), 409, "AGENT_NOT_RUNNING");
        assertEquals("RUNNING", post("/agents/c1/resume", null).body().get("state").asText());
        assertError(post("/agents/c1/resume", null), 409, "AGENT_NOT_PAUSED");
        assertError(post("/agents/c1/start", null), 409, "AGENT_RUNNING");
        assertEquals(200, post("/agents/c1/stop?graceful=false", null).status());
        rt.lookup("c1").ifPresent(a -> a.completion().exceptionally(e -> null).join());
        Reply restarted = post("/agents/c1/start", null); // from the factory it was spawned from
        assertEquals(201, restarted.status(), restarted.raw().body());
        assertEquals("RUNNING", get("/agents/c1").body().get("state").asText());
        assertError(get("/agents/nobody"), 404, "AGENT_NOT_FOUND");
        assertError(post("/agents/nobody/stop", null), 404, "AGENT_NOT_FOUND");
        assertError(post("/agents/nobody/start", null), 404, "AGENT_NOT_FOUND");
        assertError(post("/agents/c1/stop?graceful=maybe", null), 400, "BAD_PARAMETER");
        assertEquals(201, post("/agents/fresh/start", "{\"factory\":\"counter\"}").status());
        post("/agents/fresh/pause", null);
        Reply paused = get("/agents?state=paused");
        assertEquals(1, paused.body().get("count").asInt());
        assertEquals("fresh", paused.body().get("agents").get(0).get("name").asText());
        assertError(get("/agents?state=sleepy"), 400, "BAD_PARAMETER");
        assertError(get("/agents?limit=0"), 400, "BAD_PARAMETER");
    }

    @Test
    void eventsAreQueriedWithTheJournalsFiltersAndMetricsComeAsJsonAndPrometheusText() throws Exception {
        long id = post("/tasks", "{\"name\":\"double\",\"input\":{\"n\":1}}").body().get("id").asLong();
        rt.tasks().await(new dev.myrmex.core.task.TaskId(id), T);
        Reply events = get("/events?task=" + id + "&limit=10");
        assertEquals(200, events.status(), events.raw().body());
        assertEquals("TASK_SUCCEEDED", events.body().get("events").get(0).get("type").asText()); // newest first
        assertEquals("TASK_SUBMITTED", events.body().get("events").get(events.body().get("count").asInt() - 1)
                .get("type").asText());
        Reply typed = get("/events?type=task_succeeded,TASK_FAILED&severity=info");
        assertEquals(1, typed.body().get("count").asInt());
        assertEquals(0, get("/events?type=TASK_SUCCEEDED&since=2999-01-01T00:00:00Z").body().get("count").asInt());
        assertError(get("/events?type=NOPE"), 400, "BAD_PARAMETER");
        assertError(get("/events?since=yesterday"), 400, "BAD_PARAMETER");
        assertError(get("/events?severity=loud"), 400, "BAD_PARAMETER");
        assertError(get("/events?limit=10001"), 400, "BAD_PARAMETER");

        Reply metrics = get("/metrics");
        assertEquals(1, metrics.body().get("queue").get("succeeded").asInt());
        assertTrue(metrics.body().get("runtime").get("agents").asInt() >= 2);
        Reply prom = get("/metrics/prometheus");
        assertEquals(200, prom.status());
        assertTrue(prom.raw().headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain"));
        assertTrue(prom.raw().body().contains("# TYPE"), prom.raw().body());
    }
}
