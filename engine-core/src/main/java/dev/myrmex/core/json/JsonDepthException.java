package dev.myrmex.core.json;

/**
 * JSON-shaped data nests deeper than {@link Json#MAX_DEPTH}: refused where it would enter Myrmex ({@link Json#of}, a
 * task's submission, the management API's request bodies) or be written out ({@link Json#toJson()}, the journal's
 * binary form), so that nothing accepted is unreadable later. The message names what was refused, its depth and the
 * limit.
 */
public final class JsonDepthException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final int depth;

    /**
     * @param what  what was refused, such as "the input of task 'resize'"
     * @param depth how deep it nests, counted in full ({@link Json#depth()})
     */
    public JsonDepthException(String what, int depth) {
        this(what, depth, true);
    }

    private JsonDepthException(String what, int depth, boolean exact) {
        super(what + " nests " + (exact ? depth + " levels" : "more than " + Json.MAX_DEPTH + " levels")
                + " deep, deeper than the limit of " + Json.MAX_DEPTH + " (Json.MAX_DEPTH)");
        this.depth = depth;
    }

    /**
     * Refusal by a walk that stopped on passing the limit, so knows only that {@code what} nests at least
     * {@code MAX_DEPTH + 1} deep (its {@link #depth()}).
     */
    public static JsonDepthException beyondLimit(String what) {
        return new JsonDepthException(what, Json.MAX_DEPTH + 1, false);
    }

    /** How deep the refused data nests: exactly, or (from {@link #beyondLimit}) at least this deep. */
    public int depth() {
        return depth;
    }

    /** The limit it passed: {@link Json#MAX_DEPTH}. */
    public int limit() {
        return Json.MAX_DEPTH;
    }
}
