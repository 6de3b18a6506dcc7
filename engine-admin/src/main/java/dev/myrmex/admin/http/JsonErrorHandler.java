package dev.myrmex.admin.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The HTTP server's own refusals, those made before a request reaches a route (a request line or headers too large,
 * an ambiguous or malformed path), answered in the API's error format, {@code {"error": {"code", "message", "hint"}}},
 * instead of Jetty's HTML page. Installed on the server: the refusals of its servlet context come to it too.
 */
public final class JsonErrorHandler extends ErrorHandler {
    @Override
    protected void generateResponse(Request request, Response response, int status, String message, Throwable cause,
                                    Callback callback) {
        byte[] body;
        try {
            body = JsonBodies.MAPPER.writeValueAsBytes(refusal(status, message).body());
        } catch (JsonProcessingException x) {
            callback.failed(x); // a map of strings is always writable
            return;
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    /** What the API says for a refusal of the server's: a stable code and what to do about it. */
    static ApiException refusal(int status, String jettyMessage) {
        String reason = jettyMessage == null || jettyMessage.isBlank() ? HttpStatus.getMessage(status) : jettyMessage;
        return switch (status) {
            case 414 -> new ApiException(status, "URI_TOO_LONG", "the request line is too long: " + reason,
                    "send long values in a JSON body, not in the path or query");
            case 431 -> new ApiException(status, "HEADERS_TOO_LARGE", "the request's headers are too large: "
                    + reason, "send fewer or smaller headers");
            case 400 -> new ApiException(status, "BAD_URI", "the request is malformed: " + reason,
                    "send a plain path, without '..', ';' or encoded separators; see docs/admin-api.md for the"
                            + " routes");
            default -> new ApiException(status, "HTTP_" + status, reason, "see docs/admin-api.md");
        };
    }
}
