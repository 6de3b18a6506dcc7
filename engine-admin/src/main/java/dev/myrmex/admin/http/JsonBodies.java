package dev.myrmex.admin.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import dev.myrmex.core.Tag;
import dev.myrmex.core.json.Json;
import dev.myrmex.core.task.TaskId;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON in and out of the management API: request bodies read with a size limit and turned into {@link Json} values,
 * replies written by one configured {@link ObjectMapper} (records as objects, {@code Json} as plain JSON, times as
 * ISO-8601 text, agent addresses as their names).
 *
 * <p><b>Depth.</b> The parser refuses a body nesting deeper than {@link Json#MAX_DEPTH} plus {@link #BODY_LEVELS}
 * (400 {@code JSON_TOO_DEEP}); the task queue then refuses an input deeper than {@code Json.MAX_DEPTH} itself, with the
 * same code. The writer allows {@link #REPLY_LEVELS} more than the limit, so a reply can hold any value the runtime
 * accepted; {@link #writable} renders anything deeper (only a non-{@code Json} result can be) as a placeholder, so no
 * task can break a listing.
 */
public final class JsonBodies {
    /** The levels a request body adds around a task's input: a batch (an array) of tasks (objects). */
    public static final int BODY_LEVELS = 2;
    /** The levels a reply may add around a value: a listing puts an input at {@code tasks[i].input}, 3 deep. */
    public static final int REPLY_LEVELS = 8;
    /** The reason code of a body or input nesting deeper than the limit. */
    public static final String TOO_DEEP = "JSON_TOO_DEEP";

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
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(Json.MAX_DEPTH + BODY_LEVELS).build())
                .streamWriteConstraints(StreamWriteConstraints.builder()
                        .maxNestingDepth(Json.MAX_DEPTH + REPLY_LEVELS).build())
                .build();
        return new ObjectMapper(factory).registerModule(m)
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

    /**
     * A value for a reply (a task's input or result, of any {@code Val}): its JSON tree if the mapper can write it
     * within {@link Json#MAX_DEPTH}, else a placeholder naming its class and why, which any reply can hold.
     */
    public static Object writable(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof Json j && j.depth() > Json.MAX_DEPTH) { // measured without recursion
            return unrepresentable(v, "nests " + j.depth() + " levels deep, deeper than Json.MAX_DEPTH");
        }
        JsonNode tree;
        try {
            tree = MAPPER.valueToTree(v);
        } catch (IllegalArgumentException e) { // Jackson's answer to what it cannot map, a too-deep value included
            return Map.of("unrepresentable", v.getClass().getName(), "text", String.valueOf(v));
        }
        int depth = depth(tree);
        return depth <= Json.MAX_DEPTH ? tree
                : unrepresentable(v, "nests " + depth + " levels deep, deeper than Json.MAX_DEPTH");
    }

    private static Map<String, Object> unrepresentable(Object v, String why) {
        return Map.of("unrepresentable", v.getClass().getName(), "reason", why);
    }

    /** How deep a tree nests (a scalar: 0), walked without recursion. */
    static int depth(JsonNode n) {
        record At(JsonNode node, int depth) {
        }
        ArrayDeque<At> todo = new ArrayDeque<>();
        todo.push(new At(n, 0));
        int deepest = 0;
        while (!todo.isEmpty()) {
            At at = todo.pop();
            if (at.node().isContainerNode()) {
                deepest = Math.max(deepest, at.depth() + 1);
                at.node().forEach(c -> todo.push(new At(c, at.depth() + 1)));
            }
        }
        return deepest;
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
        } catch (StreamConstraintsException e) {
            throw ApiException.badRequest(TOO_DEEP, "the body nests deeper than " + (Json.MAX_DEPTH + BODY_LEVELS)
                    + " levels: a task's input may nest at most " + Json.MAX_DEPTH + " (Json.MAX_DEPTH): "
                    + e.getOriginalMessage(), "send an input nested at most " + Json.MAX_DEPTH + " levels deep");
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
