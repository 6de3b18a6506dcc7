package dev.myrmex.core.task;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A submission as the journal keeps it, in the details of its TASK_SUBMITTED (or TASK_REQUEUED) event: enough to
 * queue the task again after a crash. One line of {@code key=value} pairs, readable in a journal query:
 *
 * <pre>name=resize;priority=10;deps=3,4;timeout=PT5S;retries=2;input=myrmex-json-v1:aQAAAAAAAAAD</pre>
 *
 * <p>{@code input} is {@code none} (null input), {@code CODEC:BASE64} (the task input codec's bytes), or
 * {@code unjournalled:REASON} (the codec could not encode it: such a task cannot come back after a crash). Names and
 * reasons are URL-encoded, so no value holds a {@code ;}.
 *
 * @param name         the task's name
 * @param priority     its priority
 * @param dependencies the ids of the tasks it waits for (keys of its batch resolved to ids)
 * @param timeout      per attempt, or null
 * @param maxRetries   retries after a failed attempt
 * @param inputCodec   the codec's id, or null with no input, or "unjournalled"
 * @param input        the encoded input, or the reason it is not there (unjournalled), or null
 */
record TaskRecord(String name, int priority, List<Long> dependencies, Duration timeout, int maxRetries,
                  String inputCodec, String input) {
    static final String UNJOURNALLED = "unjournalled";

    static TaskRecord of(TaskRequest r, List<Long> dependencies, String codec, byte[] input, String whyNot) {
        String in = input != null ? Base64.getEncoder().encodeToString(input) : whyNot;
        String c = input != null ? codec : whyNot != null ? UNJOURNALLED : null;
        return new TaskRecord(r.name(), r.priority(), dependencies, r.timeout(), r.maxRetries(), c, in);
    }

    String format() {
        StringBuilder b = new StringBuilder(64).append("name=").append(enc(name)).append(";priority=")
                .append(priority).append(";deps=");
        for (int i = 0; i < dependencies.size(); i++) {
            b.append(i == 0 ? "" : ",").append(dependencies.get(i));
        }
        b.append(";timeout=").append(timeout == null ? "none" : timeout.toString()).append(";retries=")
                .append(maxRetries).append(";input=");
        if (inputCodec == null) {
            b.append("none");
        } else if (inputCodec.equals(UNJOURNALLED)) {
            b.append(UNJOURNALLED).append(':').append(enc(input));
        } else {
            b.append(inputCodec).append(':').append(input);
        }
        return b.toString();
    }

    /** The input's bytes. */
    byte[] inputBytes() {
        return Base64.getDecoder().decode(input);
    }

    /**
     * Reads {@link #format()}'s text.
     *
     * @throws IllegalArgumentException saying what is wrong with {@code details}
     */
    static TaskRecord parse(String details) {
        String name = null;
        Integer priority = null;
        Integer retries = null;
        List<Long> deps = null;
        Duration timeout = null;
        String codec = null;
        String input = null;
        boolean inputSeen = false;
        boolean timeoutSeen = false;
        for (String part : details.split(";", -1)) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("not key=value: '" + part + "'");
            }
            String k = part.substring(0, eq);
            String v = part.substring(eq + 1);
            try {
                switch (k) {
                    case "name" -> name = dec(v);
                    case "priority" -> priority = Integer.parseInt(v);
                    case "retries" -> retries = Integer.parseInt(v);
                    case "deps" -> {
                        deps = new ArrayList<>();
                        for (String d : v.isEmpty() ? new String[0] : v.split(",")) {
                            deps.add(Long.parseLong(d));
                        }
                    }
                    case "timeout" -> {
                        timeoutSeen = true;
                        timeout = v.equals("none") ? null : Duration.parse(v);
                    }
                    case "input" -> {
                        inputSeen = true;
                        if (!v.equals("none")) {
                            int colon = v.indexOf(':');
                            if (colon < 0) {
                                throw new IllegalArgumentException("input is not CODEC:DATA: '" + v + "'");
                            }
                            codec = v.substring(0, colon);
                            input = codec.equals(UNJOURNALLED) ? dec(v.substring(colon + 1)) : v.substring(colon + 1);
                        }
                    }
                    default -> throw new IllegalArgumentException("unknown key '" + k + "'");
                }
            } catch (NumberFormatException | DateTimeParseException e) {
                throw new IllegalArgumentException("bad " + k + " '" + v + "': " + e.getMessage(), e);
            }
        }
        if (name == null || priority == null || retries == null || deps == null || !timeoutSeen || !inputSeen) {
            throw new IllegalArgumentException("a task record needs name, priority, deps, timeout, retries and input: '"
                    + details + "'");
        }
        return new TaskRecord(name, priority, List.copyOf(deps), timeout, retries, codec, input);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String dec(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
