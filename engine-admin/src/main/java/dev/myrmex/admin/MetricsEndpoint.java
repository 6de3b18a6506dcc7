package dev.myrmex.admin;

import dev.myrmex.core.metrics.PrometheusMetrics;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.MethodNotAllowedResponse;
import io.javalin.http.NotFoundResponse;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * An HTTP endpoint serving {@code /metrics} in the Prometheus text format, for a Prometheus server to scrape: the
 * official client's text writer ({@link PrometheusMetrics#scrape}) on the admin module's HTTP server (Javalin, a
 * virtual thread per request, off the agents' carriers). Unlike the {@link AdminServer}, it asks for no token, so it
 * binds to the loopback address unless given another one: metrics say a lot about a system, and exposing them beyond
 * the machine must be a decision. Any other path is 404 and any other method 405, in plain text. The admin API serves
 * the same text at {@code /metrics/prometheus}, behind its token.
 *
 * <pre>{@code
 * try (MetricsEndpoint endpoint = MetricsEndpoint.start(new PrometheusMetrics(rt), 9400)) {
 *     // curl http://127.0.0.1:9400/metrics
 * }
 * }</pre>
 */
public final class MetricsEndpoint implements AutoCloseable {
    /** The text format's content type, version 0.0.4. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final Javalin app;
    private final InetSocketAddress address;

    private MetricsEndpoint(Javalin app, InetAddress host) {
        this.app = app;
        this.address = new InetSocketAddress(host, app.port());
    }

    /**
     * Serves {@code metrics} on 127.0.0.1:{@code port}.
     *
     * @param port the port; 0 picks a free one ({@link #address()} tells which)
     * @throws IllegalArgumentException if the port is not between 0 and 65535
     * @throws IllegalStateException    if the port cannot be bound (in use, not allowed)
     */
    public static MetricsEndpoint start(PrometheusMetrics metrics, int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be between 0 and 65535: " + port);
        }
        return start(metrics, new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }

    /**
     * Serves {@code metrics} on {@code bindTo}: for example {@code new InetSocketAddress(9400)} for every interface.
     *
     * @throws IllegalStateException if the address cannot be bound
     */
    public static MetricsEndpoint start(PrometheusMetrics metrics, InetSocketAddress bindTo) {
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(bindTo, "bindTo"); // its port is in range: InetSocketAddress checks that
        InetAddress host = bindTo.getAddress();
        Javalin app = Javalin.create(c -> {
            c.concurrency.useVirtualThreads = true;
            c.jetty.host = host.getHostAddress();
            c.jetty.port = bindTo.getPort();
            c.startup.showJavalinBanner = false;
            c.startup.showOldJavalinVersionWarning = false;
            c.http.prefer405over404 = true;
            c.routes.get("/metrics", ctx -> ctx.status(200).contentType(CONTENT_TYPE).result(metrics.scrape()));
            c.routes.exception(MethodNotAllowedResponse.class, (e, ctx) -> ctx.status(405).header("Allow", "GET")
                    .contentType("text/plain").result(ctx.method() + " " + ctx.path() + ": scrape it with GET\n"));
            c.routes.exception(NotFoundResponse.class, (e, ctx) -> notFound(ctx));
            c.routes.error(404, MetricsEndpoint::notFound);
        });
        try {
            app.start();
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot serve metrics on " + bindTo + ": " + e.getMessage(), e);
        }
        return new MetricsEndpoint(app, host);
    }

    private static void notFound(Context ctx) {
        ctx.status(404).contentType("text/plain").result("no such path: " + ctx.path()
                + "; this endpoint serves GET /metrics only\n");
    }

    /** Where it listens; {@code http://<address>/metrics} is the scrape URL. */
    public InetSocketAddress address() {
        return address;
    }

    /** Stops serving. Idempotent. */
    @Override
    public void close() {
        app.stop();
    }
}
