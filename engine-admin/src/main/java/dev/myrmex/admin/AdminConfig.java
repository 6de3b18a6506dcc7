package dev.myrmex.admin;

import java.util.Objects;

/**
 * How an {@link AdminServer} listens. Secure by default: loopback only, a bearer token on every route (a random one
 * unless given), request bodies of at most 1 MiB.
 *
 * @param host         the address to bind, {@value #LOOPBACK} by default; binding to others exposes the API
 * @param port         the TCP port, 0 for any free one
 * @param token        the bearer token every request must carry, or null to generate one at start
 * @param maxBodyBytes the largest request body accepted (larger: 413)
 */
public record AdminConfig(String host, int port, String token, int maxBodyBytes) {
    public static final String LOOPBACK = "127.0.0.1";
    public static final int DEFAULT_PORT = 7070;
    public static final int DEFAULT_MAX_BODY = 1 << 20;
    /** The shortest token accepted: shorter ones are guessable. */
    public static final int MIN_TOKEN_LENGTH = 16;

    public AdminConfig {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("the admin server needs a host to bind to");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0 to 65535: " + port);
        }
        if (token != null && (token.length() < MIN_TOKEN_LENGTH || !token.chars().allMatch(c -> c > 0x20
                && c < 0x7f))) {
            throw new IllegalArgumentException("an admin token must be at least " + MIN_TOKEN_LENGTH
                    + " printable ASCII characters without spaces");
        }
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("maxBodyBytes must be positive: " + maxBodyBytes);
        }
    }

    /** Loopback, port {@value #DEFAULT_PORT}, a generated token, 1 MiB bodies. */
    public static AdminConfig defaults() {
        return new AdminConfig(LOOPBACK, DEFAULT_PORT, null, DEFAULT_MAX_BODY);
    }

    public AdminConfig withHost(String h) {
        return new AdminConfig(h, port, token, maxBodyBytes);
    }

    public AdminConfig withPort(int p) {
        return new AdminConfig(host, p, token, maxBodyBytes);
    }

    public AdminConfig withToken(String t) {
        return new AdminConfig(host, port, t, maxBodyBytes);
    }

    public AdminConfig withMaxBodyBytes(int n) {
        return new AdminConfig(host, port, token, n);
    }
}
