package dev.myrmex.admin.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A request the management API refuses: answered with {@link #status()} and a JSON body
 * {@code {"error": {"code", "message", "hint"}}}. Codes are stable, for programs; messages and hints are for people.
 */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final String hint;

    public ApiException(int status, String code, String message, String hint) {
        super(message);
        this.status = status;
        this.code = Objects.requireNonNull(code, "code");
        this.hint = Objects.requireNonNull(hint, "hint");
    }

    /** 400: the request is malformed or names something wrong. */
    public static ApiException badRequest(String code, String message, String hint) {
        return new ApiException(400, code, message, hint);
    }

    /** 404: no such agent, task or route. */
    public static ApiException notFound(String code, String message, String hint) {
        return new ApiException(404, code, message, hint);
    }

    /** 409: the thing exists but is in a state that forbids the request. */
    public static ApiException conflict(String code, String message, String hint) {
        return new ApiException(409, code, message, hint);
    }

    /** The reply's body: {@code {"error": {"code", "message", "hint"}}}, in that order. */
    public Map<String, Object> body() {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", String.valueOf(getMessage()));
        error.put("hint", hint);
        return Map.of("error", error);
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    /** The reason code, such as {@code TASK_NOT_FOUND}. */
    public String code() {
        return code;
    }

    /** What to do about it. */
    public String hint() {
        return hint;
    }
}
