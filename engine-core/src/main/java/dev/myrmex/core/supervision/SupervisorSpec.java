package dev.myrmex.core.supervision;

import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.Behavior;
import dev.myrmex.core.Sendable;
import dev.myrmex.core.SpawnOptions;
import dev.myrmex.core.internal.FactoryChild;
import dev.myrmex.core.recovery.AgentFactory;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a {@link Supervisor} supervises: its strategy and its children, agents and supervisors, in start order. Start
 * order matters for {@link SupervisionStrategy#REST_FOR_ONE} (a child depends on those declared before it). Immutable;
 * one spec can start many supervisors.
 *
 * <pre>{@code
 * SupervisorSpec spec = SupervisorSpec.builder(SupervisionStrategy.REST_FOR_ONE)
 *         .agent("feed", feedBehavior, Supervision.of(RestartPolicy.ALWAYS))
 *         .agent("analyzer", Behaviors.setup(Analyzer::new), Supervision.of(RestartPolicy.ON_FAILURE)
 *                 .withMaxRestarts(10, Duration.ofSeconds(30)))
 *         .build();
 * }</pre>
 */
public final class SupervisorSpec {
    private final SupervisionStrategy strategy;
    private final List<Child> children;

    private SupervisorSpec(SupervisionStrategy strategy, List<Child> children) {
        this.strategy = strategy;
        this.children = List.copyOf(children);
    }

    /** A spec with strategy {@code strategy}; add children, then {@link Builder#build()}. */
    public static Builder builder(SupervisionStrategy strategy) {
        return new Builder(Objects.requireNonNull(strategy, "strategy"));
    }

    public SupervisionStrategy strategy() {
        return strategy;
    }

    /** The children in start order. */
    public List<Child> children() {
        return children;
    }

    /** One child of a spec. */
    public sealed interface Child permits AgentChild, SupervisorChild {
        /** The child's name: the agent's name in the runtime, or the supervisor's name under its parent. */
        String name();

        Supervision supervision();
    }

    /**
     * An agent child.
     *
     * @param options its spawn options; their supervision is the child's
     */
    public record AgentChild(String name, Behavior<? extends Sendable> behavior, SpawnOptions options)
            implements Child {
        @Override
        public Supervision supervision() {
            return options.supervision();
        }
    }

    /** A supervisor child, with its own spec; {@code supervision} says how this spec's supervisor restarts it. */
    public record SupervisorChild(String name, SupervisorSpec spec, Supervision supervision) implements Child {
    }

    /** Builds a {@link SupervisorSpec}. Not thread-safe. */
    public static final class Builder {
        private final SupervisionStrategy strategy;
        private final List<Child> children = new ArrayList<>();
        private final Set<String> names = new HashSet<>();

        private Builder(SupervisionStrategy strategy) {
            this.strategy = strategy;
        }

        /** An agent child with the default spawn options and supervision {@code s}. */
        public Builder agent(String name, Behavior<? extends Sendable> behavior, Supervision s) {
            return agent(name, behavior, SpawnOptions.DEFAULTS.withSupervision(Objects.requireNonNull(s, "s")));
        }

        /** An agent child; {@code options.supervision()} says how it is restarted. */
        public Builder agent(String name, Behavior<? extends Sendable> behavior, SpawnOptions options) {
            Objects.requireNonNull(behavior, "behavior");
            Objects.requireNonNull(options, "options");
            return add(new AgentChild(checkName(name), behavior, options));
        }

        /**
         * A recoverable agent child, made by {@code factory} (registered with the runtime's builder) under the
         * factory's spawn options and their supervision: see {@link #recoverable(String, AgentFactory, Supervision)}.
         */
        public Builder recoverable(String name, AgentFactory<?, ?> factory) {
            Objects.requireNonNull(factory, "factory");
            return recoverable(name, factory, factory.options().supervision());
        }

        /**
         * A recoverable agent child, made by {@code factory} (registered with the runtime's builder) under the
         * factory's spawn options, restarted by {@code s}. Every start of it, the first, a restart and a start after
         * it ended, is from its last checkpoint (a fresh behavior from the factory), as a recovery would. In a tree
         * declared with {@link AgentRuntime.Builder#supervisor} it also comes back inside the tree when a runtime is
         * started on the journal again.
         */
        public Builder recoverable(String name, AgentFactory<?, ?> factory, Supervision s) {
            Objects.requireNonNull(factory, "factory");
            Objects.requireNonNull(s, "s");
            return add(new AgentChild(checkName(name), new FactoryChild<>(factory),
                    factory.options().withSupervision(s)));
        }

        /** A supervisor child running {@code spec}, restarted by {@code s} when its own children fail too often. */
        public Builder supervisor(String name, SupervisorSpec spec, Supervision s) {
            Objects.requireNonNull(spec, "spec");
            Objects.requireNonNull(s, "s");
            return add(new SupervisorChild(checkName(name), spec, s));
        }

        private Builder add(Child c) {
            children.add(c);
            return this;
        }

        private String checkName(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a child needs a non-blank name: " + name);
            }
            if (!names.add(name)) {
                throw new IllegalArgumentException("two children named '" + name + "' in one supervisor spec");
            }
            return name;
        }

        /**
         * The spec.
         *
         * @throws IllegalArgumentException if it has no children
         */
        public SupervisorSpec build() {
            if (children.isEmpty()) {
                throw new IllegalArgumentException("a supervisor spec needs at least one child");
            }
            return new SupervisorSpec(strategy, children);
        }
    }
}
