package dev.myrmex.core.coord;

import dev.myrmex.core.AgentRef;
import dev.myrmex.core.Sendable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One agent's place in a {@link Topology}: its index and its neighbours. Given to the behavior factory before the
 * agents exist; the neighbours are known once the topology's {@code spawn} has returned, which is before any message
 * it did not send itself can reach the agent: read them while handling messages, not while the behavior is made.
 *
 * <p>Thread-safe: the neighbour list is immutable, computed once.
 *
 * @param <M> what the agents take
 */
public final class TopologyNode<M extends Sendable> {
    private final Topology.Shape shape;
    private final int index;
    private final int size;
    private final int fanOut;
    private final Topology.Wiring<M> wiring;
    private volatile List<AgentRef<M>> neighbours;

    TopologyNode(Topology.Shape shape, int index, int size, int fanOut, Topology.Wiring<M> wiring) {
        this.shape = shape;
        this.index = index;
        this.size = size;
        this.fanOut = fanOut;
        this.wiring = wiring;
    }

    /** This agent's position, 0 to size - 1: in a star 0 is the hub, in a tree 0 is the root. */
    public int index() {
        return index;
    }

    /** How many agents the topology has. */
    public int size() {
        return size;
    }

    public Topology.Shape shape() {
        return shape;
    }

    /**
     * The agents this one is connected to: everyone else (mesh), the previous and next (ring), the hub or every leaf
     * (star), the parent and children (tree).
     *
     * @throws IllegalStateException if called before the topology's agents were all spawned
     */
    public List<AgentRef<M>> neighbours() {
        List<AgentRef<M>> n = neighbours;
        if (n == null) {
            List<AgentRef<M>> all = wiring.refs();
            List<AgentRef<M>> list = new ArrayList<>();
            for (int i : neighbourIndexes()) {
                list.add(all.get(i));
            }
            n = List.copyOf(list);
            neighbours = n;
        }
        return n;
    }

    /** In a tree, this node's parent; empty for the root and in other shapes. */
    public Optional<AgentRef<M>> parent() {
        if (shape != Topology.Shape.TREE || index == 0) {
            return Optional.empty();
        }
        return Optional.of(wiring.refs().get((index - 1) / fanOut));
    }

    /** In a tree, this node's children (none for a leaf); in a star, the hub's leaves; else empty. */
    public List<AgentRef<M>> children() {
        List<AgentRef<M>> all = wiring.refs();
        List<AgentRef<M>> c = new ArrayList<>();
        if (shape == Topology.Shape.TREE) {
            for (int i : treeChildren()) {
                c.add(all.get(i));
            }
        } else if (shape == Topology.Shape.STAR && index == 0) {
            c.addAll(all.subList(1, size));
        }
        return List.copyOf(c);
    }

    List<Integer> neighbourIndexes() {
        List<Integer> out = new ArrayList<>();
        switch (shape) {
            case MESH -> {
                for (int i = 0; i < size; i++) {
                    if (i != index) {
                        out.add(i);
                    }
                }
            }
            case RING -> {
                int prev = (index - 1 + size) % size;
                int next = (index + 1) % size;
                if (prev != index) {
                    out.add(prev);
                }
                if (next != index && next != prev) {
                    out.add(next);
                }
            }
            case STAR -> {
                if (index == 0) {
                    for (int i = 1; i < size; i++) {
                        out.add(i);
                    }
                } else {
                    out.add(0);
                }
            }
            case TREE -> {
                if (index > 0) {
                    out.add((index - 1) / fanOut);
                }
                out.addAll(treeChildren());
            }
            default -> throw new AssertionError(shape);
        }
        return out;
    }

    /** In a tree: indexes {@code fanOut * index + 1} to {@code fanOut * index + fanOut}, those that exist. */
    private List<Integer> treeChildren() {
        List<Integer> out = new ArrayList<>();
        for (long i = (long) index * fanOut + 1; i <= (long) index * fanOut + fanOut && i < size; i++) {
            out.add((int) i);
        }
        return out;
    }

    @Override
    public String toString() {
        return "TopologyNode[" + shape + " " + index + "/" + size + "]";
    }
}
