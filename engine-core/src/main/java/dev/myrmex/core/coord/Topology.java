package dev.myrmex.core.coord;

import dev.myrmex.core.AgentHandle;
import dev.myrmex.core.AgentRef;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.Behavior;
import dev.myrmex.core.Sendable;
import dev.myrmex.core.SpawnOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Spawns a group of agents and connects them in a shape: a mesh (everyone with everyone), a ring, a star (one hub,
 * the rest leaves) or a tree with a given fan-out. Each agent's behavior is made from its {@link TopologyNode},
 * through which it sees its neighbours.
 *
 * <pre>{@code
 * Topology<Ping> ring = Topology.ring(8).spawn(rt, "node", node -> Behaviors.nonBlocking((ctx, m) -> {
 *     AgentRef<Ping> next = node.neighbours().getLast();   // the next one round the ring
 *     if (m.payload().hops() > 0) next.signal(new Ping(m.payload().hops() - 1));
 * }));
 * ring.ref(0).signal(new Ping(80));
 * }</pre>
 *
 * Agents are named {@code <prefix>-<index>}.
 *
 * @param <M> what the agents take
 */
public final class Topology<M extends Sendable> {
    /** The shapes. */
    public enum Shape { MESH, RING, STAR, TREE }

    private final Shape shape;
    private final List<AgentHandle<M>> handles;
    private final List<TopologyNode<M>> nodes;

    private Topology(Shape shape, List<AgentHandle<M>> handles, List<TopologyNode<M>> nodes) {
        this.shape = shape;
        this.handles = handles;
        this.nodes = nodes;
    }

    /** Every agent connected to every other. */
    public static Plan mesh(int size) {
        return new Plan(Shape.MESH, size, 1);
    }

    /** Each agent connected to the one before and the one after, the last to the first. */
    public static Plan ring(int size) {
        return new Plan(Shape.RING, size, 1);
    }

    /** Agent 0 is the hub, connected to every other; the others only to the hub. */
    public static Plan star(int size) {
        return new Plan(Shape.STAR, size, 1);
    }

    /**
     * A tree: agent 0 is the root, agent {@code i}'s children are {@code fanOut * i + 1} to {@code fanOut * i +
     * fanOut}; each agent is connected to its parent and children.
     *
     * @throws IllegalArgumentException if {@code fanOut} is below 1
     */
    public static Plan tree(int size, int fanOut) {
        if (fanOut < 1) {
            throw new IllegalArgumentException("fanOut must be at least 1: " + fanOut);
        }
        return new Plan(Shape.TREE, size, fanOut);
    }

    public Shape shape() {
        return shape;
    }

    public int size() {
        return handles.size();
    }

    public AgentRef<M> ref(int index) {
        return handles.get(index).ref();
    }

    public AgentHandle<M> handle(int index) {
        return handles.get(index);
    }

    /** Every agent's reference, by index. */
    public List<AgentRef<M>> refs() {
        return handles.stream().map(AgentHandle::ref).toList();
    }

    /** Agent {@code index}'s place: its neighbours, parent, children. */
    public TopologyNode<M> node(int index) {
        return nodes.get(index);
    }

    /** Stops every agent of the topology gracefully (see {@link AgentHandle#stop()}). */
    public void stop() {
        handles.forEach(AgentHandle::stop);
    }

    /** Stops every agent of the topology now (see {@link AgentHandle#stopNow()}). */
    public void stopNow() {
        handles.forEach(AgentHandle::stopNow);
    }

    @Override
    public String toString() {
        return "Topology[" + shape + ", " + size() + " agents]";
    }

    /** The agents' references once all are spawned; shared by the nodes. */
    static final class Wiring<M extends Sendable> {
        private volatile List<AgentRef<M>> refs;

        List<AgentRef<M>> refs() {
            List<AgentRef<M>> r = refs;
            if (r == null) {
                throw new IllegalStateException("the topology's agents are still being spawned: read neighbours "
                        + "when handling messages, not while the behavior is made");
            }
            return r;
        }
    }

    /** A shape and size, ready to spawn. */
    public static final class Plan {
        private final Shape shape;
        private final int size;
        private final int fanOut;
        private SpawnOptions options = SpawnOptions.DEFAULTS;

        private Plan(Shape shape, int size, int fanOut) {
            if (size < 1) {
                throw new IllegalArgumentException("size must be at least 1: " + size);
            }
            this.shape = shape;
            this.size = size;
            this.fanOut = fanOut;
        }

        /** Options for every agent (supervision, mailbox, priority). */
        public Plan options(SpawnOptions o) {
            this.options = Objects.requireNonNull(o, "options");
            return this;
        }

        /**
         * Spawns the agents, {@code behaviors} making each one's behavior from its node, and connects them. If a
         * spawn fails, the agents spawned so far are stopped and the failure is thrown.
         */
        public <M extends Sendable> Topology<M> spawn(AgentRuntime runtime, String namePrefix,
                Function<TopologyNode<M>, Behavior<M>> behaviors) {
            Objects.requireNonNull(runtime, "runtime");
            Objects.requireNonNull(namePrefix, "namePrefix");
            Objects.requireNonNull(behaviors, "behaviors");
            Wiring<M> wiring = new Wiring<>();
            List<TopologyNode<M>> nodes = new ArrayList<>(size);
            List<AgentHandle<M>> handles = new ArrayList<>(size);
            try {
                for (int i = 0; i < size; i++) {
                    TopologyNode<M> node = new TopologyNode<>(shape, i, size, fanOut, wiring);
                    nodes.add(node);
                    handles.add(runtime.spawn(namePrefix + "-" + i, behaviors.apply(node), options));
                }
            } catch (RuntimeException e) {
                handles.forEach(h -> h.stopNow());
                throw e;
            }
            wiring.refs = handles.stream().map(AgentHandle::ref).toList();
            return new Topology<>(shape, List.copyOf(handles), List.copyOf(nodes));
        }
    }
}
