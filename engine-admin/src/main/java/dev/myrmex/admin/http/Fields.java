package dev.myrmex.admin.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;

/** Reading the fields of a JSON body and query parameters, each bad or missing one a 400 naming it. */
public final class Fields {
    private Fields() {
    }

    /** {@code body} itself, if it is an object. */
    public static JsonNode object(JsonNode body, String what) {
        if (!body.isObject()) {
            throw ApiException.badRequest("BAD_FIELD", what + " must be a JSON object, not " + kind(body),
                    "send {\"field\": value, ...}");
        }
        return body;
    }

    /**
     * {@code body} itself, if it is an object whose fields are all among {@code known} (in the order the API
     * documents them): a field it does not know is a 400 {@code UNKNOWN_FIELD} naming it, never silently ignored
     * ({@code {"timeout": 100}} would otherwise mean no timeout at all).
     */
    public static JsonNode object(JsonNode body, String what, List<String> known) {
        object(body, what);
        for (String field : (Iterable<String>) body::fieldNames) {
            if (!known.contains(field)) {
                String near = known.stream().filter(k -> k.startsWith(field) || field.startsWith(k)
                        || k.equalsIgnoreCase(field)).findFirst().map(k -> "did you mean '" + k + "'? ").orElse("");
                throw ApiException.badRequest("UNKNOWN_FIELD", what + " has no field '" + abbreviate(field) + "'",
                        near + "its fields are " + String.join(", ", known));
            }
        }
        return body;
    }

    public static String requiredText(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            throw ApiException.badRequest("MISSING_FIELD", "the field '" + field + "' is required",
                    "add \"" + field + "\": \"...\" to the body");
        }
        if (!v.isTextual() || v.textValue().isBlank()) {
            throw bad(field, "a non-blank string", v);
        }
        return v.textValue();
    }

    public static String optionalText(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw bad(field, "a string", v);
        }
        return v.textValue();
    }

    /** A whole number within [min, max], or {@code fallback} if absent. */
    public static long optionalLong(JsonNode o, String field, long fallback, long min, long max) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.canConvertToExactIntegral() || !v.canConvertToLong() || v.longValue() < min || v.longValue() > max) {
            throw bad(field, "a whole number from " + min + " to " + max, v);
        }
        return v.longValue();
    }

    /** An array of whole numbers, empty if absent. */
    public static List<Long> longs(JsonNode o, String field) {
        JsonNode v = o.get(field);
        List<Long> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isArray()) {
            throw bad(field, "an array of task ids", v);
        }
        for (JsonNode item : v) {
            if (!item.canConvertToExactIntegral() || !item.canConvertToLong() || item.longValue() < 1) {
                throw bad(field, "an array of task ids (positive whole numbers)", v);
            }
            out.add(item.longValue());
        }
        return out;
    }

    /** An array of strings, empty if absent. */
    public static List<String> texts(JsonNode o, String field) {
        JsonNode v = o.get(field);
        List<String> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isArray()) {
            throw bad(field, "an array of strings", v);
        }
        for (JsonNode item : v) {
            if (!item.isTextual()) {
                throw bad(field, "an array of strings", v);
            }
            out.add(item.textValue());
        }
        return out;
    }

    /** A query parameter as a whole number within [min, max], or {@code fallback} if absent. */
    public static int queryInt(Context ctx, String name, int fallback, int min, int max) {
        String v = ctx.queryParam(name);
        if (v == null || v.isEmpty()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw ApiException.badRequest("BAD_PARAMETER", "the parameter '" + name + "' must be a whole number from "
                + min + " to " + max + ", not '" + v + "'", "fix ?" + name + "=");
    }

    /** An enum constant from a query parameter (any case), or null if absent. */
    public static <E extends Enum<E>> E queryEnum(Context ctx, String name, Class<E> type) {
        String v = ctx.queryParam(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        try {
            return Enum.valueOf(type, v.strip().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("BAD_PARAMETER", "the parameter '" + name + "' is not one of "
                    + java.util.Arrays.toString(type.getEnumConstants()) + ": '" + v + "'", "fix ?" + name + "=");
        }
    }

    private static ApiException bad(String field, String expected, JsonNode got) {
        return ApiException.badRequest("BAD_FIELD", "the field '" + field + "' must be " + expected + ", not "
                + kind(got) + " " + abbreviate(got.toString()), "fix \"" + field + "\" in the body");
    }

    private static String kind(JsonNode n) {
        return n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
