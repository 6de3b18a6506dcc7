package dev.myrmex.core.metrics;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An HTTP endpoint serving {@code /metrics} in the Prometheus text format (the official client's HTTP server, one
 * virtual thread per request, off the agents' carriers). It binds to the loopback address unless given another one:
 * metrics say a lot about a system, so exposing them beyond the machine must be a decision.
 *
 * <pre>{@code
 * try (MetricsEndpoint endpoint = MetricsEndpoint.start(new PrometheusMetrics(rt), 9400)) {
 *     // curl http://127.0.0.1:9400/metrics
 * }
 * }</pre>
 */
public final class MetricsEndpoint implements AutoCloseable {
    private final HTTPServer server;
    private final ExecutorService requests;
    private final InetSocketAddress address;

    private MetricsEndpoint(HTTPServer server, ExecutorService requests, InetSocketAddress address) {
        this.server = server;
        this.requests = requests;
        this.address = address;
    }

    /**
     * Serves {@code metrics} on 127.0.0.1:{@code port}.
     *
     * @param port the port; 0 picks a free one ({@link #address()} tells which)
     * @throws UncheckedIOException if the port cannot be bound (in use, not allowed)
     */
    public static MetricsEndpoint start(PrometheusMetrics metrics, int port) {
        return start(metrics, new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }

    /**
     * Serves {@code metrics} on {@code bindTo}: for example {@code new InetSocketAddress(9400)} for every interface.
     *
     * @throws UncheckedIOException if the address cannot be bound
     */
    public static MetricsEndpoint start(PrometheusMetrics metrics, InetSocketAddress bindTo) {
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(bindTo, "bindTo");
        if (bindTo.getPort() < 0 || bindTo.getPort() > 65_535) {
            throw new IllegalArgumentException("port must be between 0 and 65535: " + bindTo.getPort());
        }
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(metrics);
        ExecutorService requests = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("myrmex-metrics-", 0).factory());
        try {
            HTTPServer server = HTTPServer.builder().inetAddress(bindTo.getAddress()).port(bindTo.getPort())
                    .registry(registry).executorService(requests).buildAndStart();
            return new MetricsEndpoint(server, requests,
                    new InetSocketAddress(bindTo.getAddress(), server.getPort()));
        } catch (IOException e) {
            requests.close();
            throw new UncheckedIOException("cannot serve metrics on " + bindTo + ": " + e.getMessage(), e);
        }
    }

    /** Where it listens; {@code http://<address>/metrics} is the scrape URL. */
    public InetSocketAddress address() {
        return address;
    }

    /** Stops serving. */
    @Override
    public void close() {
        server.close();
        requests.close();
    }
}
