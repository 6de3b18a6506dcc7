package dev.myrmex.admin;

import dev.myrmex.admin.http.AgentRoutes;
import dev.myrmex.admin.http.ApiException;
import dev.myrmex.admin.http.JsonBodies;
import dev.myrmex.admin.http.JsonErrorHandler;
import dev.myrmex.admin.http.ObservabilityRoutes;
import dev.myrmex.admin.http.TaskRoutes;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.task.NoSuchTaskException;
import dev.myrmex.core.task.QueueFullException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.MethodNotAllowedResponse;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The management API over HTTP: agents, tasks, runs, the queue, events and metrics of one {@link AgentRuntime}, as
 * JSON. Runs on Javalin (Jetty 12) with a virtual thread per request.
 *
 * <pre>{@code
 * try (AdminServer admin = AdminServer.start(rt, AdminConfig.defaults())) {
 *     System.out.println("admin API at " + admin.uri() + ", token " + admin.token());
 *     ...
 * }
 * }</pre>
 *
 * <p>Secure by default: it binds to 127.0.0.1, every route needs {@code Authorization: Bearer <token>} (401 without),
 * and request bodies are limited ({@link AdminConfig#maxBodyBytes}, 413 beyond). Errors are JSON,
 * {@code {"error": {"code", "message", "hint"}}}, with 400 for bad input, 404 for an unknown id or route, 409 for a
 * request the thing's state forbids, 413 for a large body and 503 for a full queue. Routes: see docs/admin-api.md.
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
    private static final String ANSWERED = "myrmex.answered";

    private final Javalin app;
    private final String token;
    private final byte[] tokenBytes;
    private final int maxBody;
    private volatile boolean lastRequestOnVirtualThread;

    private AdminServer(AgentRuntime rt, AdminConfig config) {
        this.token = config.token() != null ? config.token() : newToken();
        this.tokenBytes = token.getBytes(StandardCharsets.US_ASCII);
        this.maxBody = config.maxBodyBytes();
        AgentRoutes agents = new AgentRoutes(rt, maxBody);
        TaskRoutes tasks = new TaskRoutes(rt, maxBody);
        ObservabilityRoutes observability = new ObservabilityRoutes(rt);
        this.app = Javalin.create(c -> {
            c.concurrency.useVirtualThreads = true;
            c.jetty.host = config.host();
            c.jetty.port = config.port();
            c.http.maxRequestSize = maxBody;
            c.http.prefer405over404 = true; // a known path with another method: 405 and Allow, not 404
            c.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler())); // 414, 431, bad paths
            c.startup.showJavalinBanner = false;
            c.startup.showOldJavalinVersionWarning = false;
            c.routes.before(this::admit);
            agents.register(c.routes);
            tasks.register(c.routes);
            observability.register(c.routes);
            c.routes.exception(ApiException.class, (e, ctx) -> error(ctx, e));
            c.routes.exception(MethodNotAllowedResponse.class, (e, ctx) -> {
                String allowed = e.getDetails().getOrDefault("availableMethods", "");
                ctx.header("Allow", allowed);
                error(ctx, new ApiException(405, "METHOD_NOT_ALLOWED", ctx.path() + " does not take " + ctx.method()
                        + "; it takes " + allowed, "use a method the Allow header names; see docs/admin-api.md"));
            });
            c.routes.exception(HttpResponseException.class, (e, ctx) -> error(ctx, e.getStatus() == 404
                    ? noRoute(ctx) : new ApiException(e.getStatus(), "HTTP_" + e.getStatus(), e.getMessage(),
                    "see docs/admin-api.md")));
            c.routes.exception(QueueFullException.class, (e, ctx) -> {
                ctx.header("Retry-After", "1");
                error(ctx, new ApiException(503, "QUEUE_FULL", e.getMessage(),
                        "retry later, or raise the runtime's TaskSettings.capacity"));
            });
            c.routes.exception(NoSuchTaskException.class, (e, ctx) -> error(ctx, ApiException.notFound(
                    "TASK_NOT_FOUND", e.getMessage(), "list tasks with GET /tasks")));
            c.routes.exception(IllegalStateException.class, (e, ctx) -> error(ctx, ApiException.conflict(
                    "ILLEGAL_STATE", e.getMessage(), "check the state of what you asked about")));
            c.routes.exception(IllegalArgumentException.class, (e, ctx) -> error(ctx, ApiException.badRequest(
                    "BAD_REQUEST", e.getMessage(), "fix the request")));
            c.routes.exception(Exception.class, (e, ctx) -> {
                LOG.error("admin API: {} {} failed", ctx.method(), ctx.path(), e);
                error(ctx, new ApiException(500, "INTERNAL", "the server failed: " + e, "see the server's log"));
            });
            c.routes.error(404, ctx -> {
                if (ctx.attribute(ANSWERED) == null) {
                    error(ctx, noRoute(ctx));
                }
            });
        });
    }

    /**
     * Starts a server for {@code rt}.
     *
     * @throws IllegalStateException if it cannot listen (the port is taken, the host is not this machine's)
     */
    public static AdminServer start(AgentRuntime rt, AdminConfig config) {
        Objects.requireNonNull(rt, "rt");
        Objects.requireNonNull(config, "config");
        AdminServer s = new AdminServer(rt, config);
        try {
            s.app.start();
        } catch (RuntimeException e) {
            throw new IllegalStateException("the admin API could not listen on " + config.host() + ":"
                    + config.port() + ": " + e.getMessage(), e);
        }
        return s;
    }

    /** The bearer token requests must carry. */
    public String token() {
        return token;
    }

    /** Where it listens, such as {@code http://127.0.0.1:7070}. */
    public URI uri() {
        String host = app.jettyServer().server().getURI().getHost();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + app.port());
    }

    /** The port it listens on (the chosen one if the config said 0). */
    public int port() {
        return app.port();
    }

    /** Whether the latest request ran on a virtual thread (for tests). */
    boolean lastRequestOnVirtualThread() {
        return lastRequestOnVirtualThread;
    }

    @Override
    public void close() {
        app.stop();
    }

    /** Every request: a matching bearer token, a body within the limit. */
    private void admit(Context ctx) {
        lastRequestOnVirtualThread = Thread.currentThread().isVirtual();
        String auth = ctx.header("Authorization");
        if (auth == null || auth.isBlank()) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw new ApiException(401, "TOKEN_MISSING", "this API needs a bearer token",
                    "send the header 'Authorization: Bearer <token>' with the token the server printed at start");
        }
        String[] credentials = auth.strip().split("\\s+", 2); // the scheme is case-insensitive (RFC 7235)
        boolean bearer = credentials.length == 2 && credentials[0].equalsIgnoreCase("Bearer");
        if (!bearer || !MessageDigest.isEqual(credentials[1].getBytes(StandardCharsets.US_ASCII), tokenBytes)) {
            ctx.header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            throw new ApiException(401, "TOKEN_WRONG", "the bearer token is not this server's",
                    "use the token the server printed at start (or was configured with)");
        }
        long length = ctx.req().getContentLengthLong(); // contentLength() is an int: -1 past 2^31-1
        if (length > maxBody) {
            throw JsonBodies.tooLarge(length, maxBody); // at once: the body is never read
        }
    }

    private static ApiException noRoute(Context ctx) {
        return ApiException.notFound("ROUTE_NOT_FOUND", "no route " + ctx.method() + " " + ctx.path(),
                "see docs/admin-api.md for the routes");
    }

    private static void error(Context ctx, ApiException e) {
        ctx.attribute(ANSWERED, Boolean.TRUE);
        JsonBodies.reply(ctx, e.status(), e.body());
    }

    private static String newToken() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
