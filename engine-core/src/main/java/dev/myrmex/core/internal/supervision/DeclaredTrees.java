package dev.myrmex.core.internal.supervision;

import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.internal.FactoryChild;
import dev.myrmex.core.supervision.SupervisorSpec;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the trees declared with {@link AgentRuntime.Builder#supervisor} hold: read once, at start, to claim checkpoints.
 */
public final class DeclaredTrees {
    private DeclaredTrees() {
    }

    /** The names of the recoverable agents in {@code trees}, at any depth. */
    public static Set<String> recoverableNames(Map<String, SupervisorSpec> trees) {
        Set<String> names = new HashSet<>();
        for (SupervisorSpec spec : trees.values()) {
            collect(spec, names);
        }
        return names;
    }

    private static void collect(SupervisorSpec spec, Set<String> names) {
        for (SupervisorSpec.Child c : spec.children()) {
            switch (c) {
                case SupervisorSpec.AgentChild a -> {
                    if (a.behavior() instanceof FactoryChild<?>) {
                        names.add(a.name());
                    }
                }
                case SupervisorSpec.SupervisorChild n -> collect(n.spec(), names);
            }
        }
    }
}
