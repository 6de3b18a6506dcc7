package dev.myrmex.admin.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import dev.myrmex.core.Json;
import dev.myrmex.core.Tag;
import dev.myrmex.core.task.TaskId;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON in and out of the management API: request bodies read with a size limit and turned into {@link Json} values,
 * replies written by one configured {@link ObjectMapper} (records as objects, {@code Json} as plain JSON, times as
 * ISO-8601 text, agent addresses as their names).
 */
public final class JsonBodies {
    /** The mapper for replies and request bodies. Thread-safe once configured. */
    public static final ObjectMapper MAPPER = mapper();

    private JsonBodies() {
    }

    private static ObjectMapper mapper() {
        SimpleModule m = new SimpleModule("myrmex");
        m.addSerializer(Json.class, new ToStringLike<>(Json.class) {
            @Override
            public void serialize(Json v, JsonGenerator g, SerializerProvider p) throws IOException {
                g.writeObject(v.toPlain());
            }
        });
        m.addSerializer(Instant.class, new ToStringLike<>(Instant.class));
        m.addSerializer(Duration.class, new ToStringLike<>(Duration.class));
        m.addSerializer(Tag.class, new ToStringLike<>(Tag.class));
        m.addSerializer(TaskId.class, new ToStringLike<>(TaskId.class) {
            @Override
            public void serialize(TaskId v, JsonGenerator g, SerializerProvider p) throws IOException {
                g.writeNumber(v.value());
            }
        });
        return new ObjectMapper().registerModule(m)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.USE_LONG_FOR_INTS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    }

    /** Writes a value as its {@code toString()}. */
    private static class ToStringLike<T> extends StdSerializer<T> {
        ToStringLike(Class<T> type) {
            super(type);
        }

        @Override
        public void serialize(T v, JsonGenerator g, SerializerProvider p) throws IOException {
            g.writeString(v.toString());
        }
    }

    /** Answers {@code status} with {@code body} as JSON. */
    public static void reply(Context ctx, int status, Object body) {
        String text;
        try {
            text = MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("reply not writable as JSON: " + e.getOriginalMessage(), e);
        }
        ctx.status(status).contentType("application/json").result(text);
    }

    /** A value for a reply: {@code v} itself if the mapper can write it, else its text (a result of any Val). */
    public static Object writable(Object v) {
        if (v == null) {
            return null;
        }
        try {
            return MAPPER.valueToTree(v);
        } catch (IllegalArgumentException e) {
            return Map.of("unrepresentable", v.getClass().getName(), "text", String.valueOf(v));
        }
    }

    /**
     * The request's body as a JSON tree, read up to {@code maxBytes}.
     *
     * @throws ApiException 413 if it is larger, 400 if it is empty or not JSON (saying where)
     */
    public static JsonNode body(Context ctx, int maxBytes) {
        byte[] bytes;
        try (InputStream in = ctx.bodyInputStream()) {
            bytes = in.readNBytes(maxBytes + 1);
        } catch (IOException e) {
            throw ApiException.badRequest("BODY_UNREADABLE", "the request body could not be read: " + e.getMessage(),
                    "send the body again");
        }
        if (bytes.length > maxBytes) {
            throw tooLarge(-1, maxBytes);
        }
        if (bytes.length == 0) {
            throw ApiException.badRequest("BODY_MISSING", "this request needs a JSON body",
                    "send a JSON object with Content-Type: application/json");
        }
        try {
            return MAPPER.readTree(bytes);
        } catch (IOException e) {
            String where = e instanceof JsonProcessingException j && j.getLocation() != null
                    ? " at line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr() : "";
            throw ApiException.badRequest("BAD_JSON", "the body is not valid JSON" + where + ": "
                    + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()),
                    "check the body with a JSON validator");
        }
    }

    /** 413: a body of {@code length} bytes (-1: not known, streamed), beyond {@code maxBytes}. */
    public static ApiException tooLarge(long length, int maxBytes) {
        return new ApiException(413, "BODY_TOO_LARGE", "the request body is " + (length < 0 ? "" : length
                + " bytes, ") + "larger than " + maxBytes + (length < 0 ? " bytes" : ""),
                "send less: the server's limit is maxBodyBytes (" + maxBytes + ")");
    }

    /** A JSON tree as a {@link Json} value. */
    public static Json toJson(JsonNode n) {
        return switch (n.getNodeType()) {
            case OBJECT -> {
                Map<String, Json> fields = new LinkedHashMap<>();
                n.properties().forEach(e -> fields.put(e.getKey(), toJson(e.getValue())));
                yield new Json.Obj(fields);
            }
            case ARRAY -> {
                List<Json> items = new ArrayList<>(n.size());
                n.forEach(item -> items.add(toJson(item)));
                yield new Json.Arr(items);
            }
            case STRING -> new Json.Str(n.textValue());
            case NUMBER -> n.canConvertToExactIntegral() && n.canConvertToLong() ? new Json.Int(n.longValue())
                    : new Json.Dec(n.doubleValue());
            case BOOLEAN -> new Json.Bool(n.booleanValue());
            case NULL -> Json.Null.NULL;
            default -> throw ApiException.badRequest("BAD_JSON", "unsupported JSON node " + n.getNodeType(),
                    "send plain JSON");
        };
    }
}
