package dev.myrmex.admin;

import static dev.myrmex.testkit.Await.WATCHDOG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.metrics.PrometheusMetrics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The scrape endpoint: Prometheus text on loopback, a taken port and a bad one refused naming them. */
class MetricsEndpointTest {

    private final AgentRuntime rt = AgentRuntime.builder().workers(2).build();

    @AfterEach
    void close() {
        rt.close();
    }

    @Test
    void itServesTheTextFormatOnLoopback() throws Exception {
        rt.start();
        try (MetricsEndpoint endpoint = MetricsEndpoint.start(new PrometheusMetrics(rt), 0);
             HttpClient http = HttpClient.newHttpClient()) {
            assertTrue(endpoint.address().getAddress().isLoopbackAddress());
            URI uri = URI.create("http://127.0.0.1:" + endpoint.address().getPort() + "/metrics");
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(WATCHDOG).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertEquals(MetricsEndpoint.CONTENT_TYPE, r.headers().firstValue("Content-Type").orElse(""));
            assertTrue(r.body().contains("# TYPE myrmex_uptime_seconds gauge"), r.body());
        }
    }

    @Test
    void anyOtherPathIs404NamingTheScrapePathAndAnotherMethodIs405() throws Exception {
        rt.start();
        try (MetricsEndpoint endpoint = MetricsEndpoint.start(new PrometheusMetrics(rt), 0);
             HttpClient http = HttpClient.newHttpClient()) {
            String base = "http://127.0.0.1:" + endpoint.address().getPort();
            for (String path : new String[] {"/", "/metrics/x", "/metricsx", "/favicon.ico"}) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(WATCHDOG)
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(404, r.statusCode(), path);
                assertTrue(r.body().contains("/metrics"), path + ": " + r.body());
                assertTrue(!r.body().contains("# TYPE"), path + " serves no metrics");
            }
            HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
                    .timeout(WATCHDOG).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(405, post.statusCode(), post.body());
            assertEquals("GET", post.headers().firstValue("Allow").orElse(""));
        }
    }

    @Test
    void aTakenPortAndABadOneAreRefusedNamingThem() {
        PrometheusMetrics metrics = new PrometheusMetrics(rt);
        try (MetricsEndpoint first = MetricsEndpoint.start(metrics, 0)) {
            int port = first.address().getPort();
            IllegalStateException taken = assertThrows(IllegalStateException.class,
                    () -> MetricsEndpoint.start(metrics, port));
            assertTrue(taken.getMessage().startsWith("cannot serve metrics on ") && taken.getMessage()
                    .contains(":" + port), taken.getMessage());
        }
        assertEquals("port must be between 0 and 65535: 70000", assertThrows(IllegalArgumentException.class,
                () -> MetricsEndpoint.start(metrics, 70_000)).getMessage());
    }
}
