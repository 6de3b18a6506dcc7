package dev.myrmex.core.coord;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** The argument check every group primitive makes of its members (a quorum, a gossip group). */
final class Members {
    private Members() {
    }

    /**
     * An immutable copy of {@code members}.
     *
     * @throws IllegalArgumentException if it is empty (naming {@code what} needs one) or names an agent twice
     * @throws NullPointerException     if it is or holds null
     */
    static <T> List<T> checked(List<T> members, String what) {
        Objects.requireNonNull(members, "members");
        if (members.isEmpty()) {
            throw new IllegalArgumentException("members must not be empty: " + what + " needs at least one member");
        }
        Set<T> seen = new HashSet<>();
        for (T m : members) {
            if (!seen.add(Objects.requireNonNull(m, "members contains null"))) {
                throw new IllegalArgumentException("members names " + m + " twice");
            }
        }
        return List.copyOf(members);
    }
}
