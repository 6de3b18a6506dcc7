package dev.myrmex.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/** The command line's side of the management API: one request, a JSON answer or a typed failure. Thread-safe. */
final class AdminClient {
    /** The server answered with an error: its status and reason code, message and hint. */
    static final class ApiError extends RuntimeException {
        final int status;
        final String code;
        final String hint;

        ApiError(int status, String code, String message, String hint) {
            super(message);
            this.status = status;
            this.code = code;
            this.hint = hint;
        }
    }

    /** The server could not be reached or did not answer. */
    static final class Unreachable extends RuntimeException {
        Unreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI base;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    AdminClient(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    JsonNode get(String path) {
        return send("GET", path, null);
    }

    JsonNode post(String path, String body) {
        return send("POST", path, body);
    }

    /** The raw text of a GET (Prometheus metrics). */
    String getText(String path) {
        return exchange("GET", path, null).body();
    }

    private JsonNode send(String method, String path, String body) {
        HttpResponse<String> r = exchange(method, path, body);
        try {
            return r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body());
        } catch (IOException e) {
            throw new Unreachable("the server at " + base + " answered " + path + " with something not JSON: "
                    + abbreviate(r.body()), e);
        }
    }

    private HttpResponse<String> exchange(String method, String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        HttpResponse<String> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new Unreachable("cannot reach the admin API at " + base + " (is './myrmex admin serve' running"
                    + " there?)", e);
        } catch (HttpTimeoutException e) {
            throw new Unreachable("the admin API at " + base + " did not answer within " + TIMEOUT.toSeconds()
                    + " s", e);
        } catch (IOException e) {
            throw new Unreachable("talking to the admin API at " + base + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreachable("interrupted", e);
        }
        if (r.statusCode() >= 400) {
            JsonNode error;
            try {
                error = JSON.readTree(r.body()).path("error");
            } catch (IOException e) {
                error = JSON.missingNode();
            }
            throw new ApiError(r.statusCode(), error.path("code").asText("HTTP_" + r.statusCode()),
                    error.path("message").asText(abbreviate(r.body())), error.path("hint").asText(""));
        }
        return r;
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 197) + "...";
    }
}
