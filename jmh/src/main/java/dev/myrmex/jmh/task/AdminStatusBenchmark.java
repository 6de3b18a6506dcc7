package dev.myrmex.jmh.task;

import dev.myrmex.admin.AdminConfig;
import dev.myrmex.admin.AdminServer;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.task.TaskId;
import dev.myrmex.core.task.TaskRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * An HTTP round trip for a task's status: {@code GET /tasks/{id}} with the bearer token over a kept-alive HTTP/1.1
 * connection, answered with the task's JSON. Two clients: the JDK's {@code HttpClient} (what a Java program would use;
 * its own hand-offs between threads cost more than the server does here) and a plain socket writing the request and
 * reading the response (the server's round trip alone, plus loopback). For scale in the same run: the same status
 * asked in process ({@code tasks().status}, no HTTP, no JSON).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = "-Xmx2g")
public class AdminStatusBenchmark {
    private AgentRuntime rt;
    private AdminServer admin;
    private HttpClient http;
    private HttpRequest request;
    private TaskId id;
    private java.net.Socket socket;
    private java.io.OutputStream socketOut;
    private java.io.InputStream socketIn;
    private byte[] rawRequest;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        rt = AgentRuntime.builder().build();
        rt.start();
        rt.tasks().spawnWorker("worker", Set.of(), task -> dev.myrmex.core.json.Json.of(java.util.Map.of("ok", true)));
        id = rt.tasks().submit(new TaskRequest("status-me", dev.myrmex.core.json.Json.of(java.util.Map.of("n", 1)), 50,
                List.of(), null, 0, null, List.of()));
        rt.tasks().await(id, Duration.ofSeconds(30));
        admin = AdminServer.start(rt, AdminConfig.defaults().withPort(0));
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        request = HttpRequest.newBuilder(URI.create(admin.uri() + "/tasks/" + id.value()))
                .header("Authorization", "Bearer " + admin.token()).build();
        socket = new java.net.Socket("127.0.0.1", admin.port());
        socket.setTcpNoDelay(true);
        socketOut = socket.getOutputStream();
        socketIn = new java.io.BufferedInputStream(socket.getInputStream());
        rawRequest = ("GET /tasks/" + id.value() + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                + admin.token() + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws java.io.IOException {
        socket.close();
        admin.close();
        rt.close();
    }

    @Benchmark
    public String httpStatus() throws Exception {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    @Benchmark
    public byte[] httpStatusRawSocket() throws java.io.IOException {
        socketOut.write(rawRequest);
        socketOut.flush();
        int length = -1;
        String status = line();
        if (!status.startsWith("HTTP/1.1 200")) {
            throw new IllegalStateException(status);
        }
        for (String header = line(); !header.isEmpty(); header = line()) {
            if (header.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Integer.parseInt(header.substring(15).strip());
            }
        }
        if (length < 0) {
            throw new IllegalStateException("no Content-Length");
        }
        return socketIn.readNBytes(length);
    }

    private String line() throws java.io.IOException {
        StringBuilder b = new StringBuilder(64);
        for (int c = socketIn.read(); c != '\n'; c = socketIn.read()) {
            if (c < 0) {
                throw new java.io.EOFException("the server closed the connection");
            }
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }

    @Benchmark
    public Object inProcessStatus() {
        return rt.tasks().status(id).orElseThrow();
    }
}
