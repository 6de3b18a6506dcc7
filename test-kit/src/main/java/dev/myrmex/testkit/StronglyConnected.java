package dev.myrmex.testkit;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The strongly connected components of a small directed graph (Tarjan's algorithm): the sets of nodes that all reach
 * one another. Used on package graphs, a few dozen nodes, so it recurses. Not thread-safe: one use per instance.
 */
final class StronglyConnected {
    private final Map<String, Set<String>> edges;
    private final Map<String, Integer> index = new HashMap<>();
    private final Map<String, Integer> lowLink = new HashMap<>();
    private final Deque<String> stack = new ArrayDeque<>();
    private final Set<String> onStack = new HashSet<>();
    private final List<SortedSet<String>> found = new ArrayList<>();
    private int next;

    /** {@code edges}: each node to the nodes it points at; a node only pointed at needs no entry. */
    StronglyConnected(Map<String, Set<String>> edges) {
        this.edges = edges;
    }

    /** The components of two nodes or more, each sorted, the list sorted by each one's first node. */
    List<SortedSet<String>> components() {
        for (String node : edges.keySet()) {
            if (!index.containsKey(node)) {
                visit(node);
            }
        }
        found.sort(Comparator.comparing(SortedSet::first));
        return found;
    }

    private void visit(String node) {
        index.put(node, next);
        lowLink.put(node, next);
        next++;
        stack.push(node);
        onStack.add(node);
        for (String to : edges.getOrDefault(node, Set.of())) {
            if (!index.containsKey(to)) {
                visit(to);
                lowLink.put(node, Math.min(lowLink.get(node), lowLink.get(to)));
            } else if (onStack.contains(to)) {
                lowLink.put(node, Math.min(lowLink.get(node), index.get(to)));
            }
        }
        if (lowLink.get(node).equals(index.get(node))) {
            SortedSet<String> component = new TreeSet<>();
            String member;
            do {
                member = stack.pop();
                onStack.remove(member);
                component.add(member);
            } while (!member.equals(node));
            if (component.size() > 1) {
                found.add(component);
            }
        }
    }
}
