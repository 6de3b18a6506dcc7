package dev.myrmex.admin;

import static dev.myrmex.testkit.Await.WATCHDOG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.task.TaskId;
import dev.myrmex.core.task.TaskSettings;
import dev.myrmex.core.task.TaskStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The management API's HTTP conventions, on the wire (a raw socket, so that nothing normalises the request): the
 * server's own refusals are JSON like every other error, a wrong method is 405 with {@code Allow}, a declared body
 * beyond the limit is refused before it is read, and a task's record shows the ids it waits for and whether its
 * input was let go.
 */
class AdminHttpConventionsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AgentRuntime rt;
    private AdminServer admin;

    /** A reply read off the socket: the status line's code, the headers as text, the body. */
    record Wire(int status, String headers, String body) {
        JsonNode json() throws IOException {
            assertTrue(headers.toLowerCase().contains("content-type: application/json"), headers);
            return JSON.readTree(body);
        }

        String code() throws IOException {
            return json().path("error").path("code").asText();
        }
    }

    @BeforeEach
    void setUp() {
        rt = AgentRuntime.builder().workers(2).tasks(TaskSettings.DEFAULTS.withRetainedInputBytes(0)).build();
        rt.start();
        rt.tasks().spawnWorker("any", Set.of(), task -> null);
        admin = AdminServer.start(rt, AdminConfig.defaults().withPort(0).withMaxBodyBytes(4096));
    }

    @AfterEach
    void tearDown() {
        admin.close();
        rt.close();
    }

    /** Sends {@code head} (the request line and headers, without the blank line) and {@code body}, reads the reply. */
    private Wire send(String head, String body) throws IOException {
        try (Socket s = new Socket("127.0.0.1", admin.port())) {
            s.setSoTimeout((int) WATCHDOG.toMillis());
            OutputStream out = s.getOutputStream();
            out.write((head + "\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + admin.token()
                    + "\r\nConnection: close\r\n\r\n" + body).getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            String reply = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int end = reply.indexOf("\r\n\r\n");
            String headers = end < 0 ? reply : reply.substring(0, end);
            return new Wire(Integer.parseInt(reply.substring(9, 12)), headers, end < 0 ? "" : reply.substring(end + 4));
        }
    }

    private Wire get(String path) throws IOException {
        return send("GET " + path + " HTTP/1.1", "");
    }

    private Wire post(String path, String json) throws IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        return send("POST " + path + " HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: " + b.length,
                json);
    }

    @Test
    void theServersOwnRefusalsAreJsonErrors() throws IOException {
        Wire longUri = get("/tasks?q=" + "a".repeat(20_000));
        assertEquals(414, longUri.status());
        assertEquals("URI_TOO_LONG", longUri.code());
        Wire bigHeader = send("GET /tasks HTTP/1.1\r\nX-Big: " + "b".repeat(20_000), "");
        assertEquals(431, bigHeader.status());
        assertEquals("HEADERS_TOO_LARGE", bigHeader.code());
        Wire ambiguous = get("/tasks/..;/queue");
        assertEquals(400, ambiguous.status());
        assertEquals("BAD_URI", ambiguous.code());
        assertTrue(ambiguous.json().path("error").path("hint").asText().contains("plain path"), ambiguous.body());
    }

    @Test
    void aKnownPathWithAnotherMethodIs405NamingTheMethodsItTakes() throws IOException {
        Wire delete = send("DELETE /tasks HTTP/1.1", "");
        assertEquals(405, delete.status());
        assertEquals("METHOD_NOT_ALLOWED", delete.code());
        assertTrue(delete.headers().contains("Allow: GET, POST"), delete.headers());
        Wire getPause = get("/queue/pause");
        assertEquals(405, getPause.status());
        assertTrue(getPause.json().path("error").path("message").asText().contains("it takes POST"), getPause.body());
        Wire unknown = get("/no/such/route");
        assertEquals(404, unknown.status());
        assertEquals("ROUTE_NOT_FOUND", unknown.code());
    }

    @Test
    void aDeclaredBodyBeyondTheLimitIs413BeforeItIsRead() throws IOException {
        // the body never comes: a server that waited for it would answer only when its idle timeout ends, and not 413
        for (long length : new long[] {Long.MAX_VALUE, Integer.MAX_VALUE + 1L, 4097}) {
            Wire huge = send("POST /tasks HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: " + length,
                    "{");
            assertEquals(413, huge.status(), length + ": " + huge.body());
            assertEquals("BODY_TOO_LARGE", huge.code());
            assertTrue(huge.json().path("error").path("message").asText().contains(length + " bytes"), huge.body());
        }
    }

    @Test
    void aTaskListsTheIdsItWaitsForAndSaysWhenItsInputWasLetGo() throws Exception {
        Wire batch = post("/tasks", "[{\"name\":\"any\",\"key\":\"a\",\"input\":{\"n\":1}},"
                + "{\"name\":\"any\",\"key\":\"b\",\"after\":[\"a\"]}]");
        assertEquals(201, batch.status(), batch.body());
        long a = batch.json().path("ids").get(0).asLong();
        long b = batch.json().path("ids").get(1).asLong();
        JsonNode second = JSON.readTree(get("/tasks/" + b).body());
        assertEquals(a, second.path("dependencies").get(0).asLong(), second.toString());
        assertEquals(TaskStatus.SUCCEEDED, rt.tasks().await(new TaskId(a), WATCHDOG).status());
        JsonNode first = JSON.readTree(get("/tasks/" + a).body()); // ended, with no input budget: its input is gone
        assertTrue(first.path("inputForgotten").asBoolean(), first.toString());
        assertTrue(first.path("input").isNull(), first.toString());
    }
}
