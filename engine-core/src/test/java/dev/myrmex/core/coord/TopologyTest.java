package dev.myrmex.core.coord;

import static dev.myrmex.testkit.Await.WATCHDOG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.Behaviors;
import dev.myrmex.core.Val;
import dev.myrmex.core.testing.RuntimeExtension;
import dev.myrmex.testkit.Await;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Each shape, built for real: every agent greets its neighbours through {@link TopologyNode#neighbours}, and the
 * greetings that arrive must be exactly the edges of the shape, computed here independently.
 */
class TopologyTest {
    sealed interface Msg extends Val permits Hello, Hi {
    }

    record Hello() implements Msg {
    }

    record Hi(int from) implements Msg {
    }

    @RegisterExtension
    final RuntimeExtension runtimes = new RuntimeExtension();
    private final AgentRuntime rt = runtimes.track(AgentRuntime.builder().workers(2).build());

    TopologyTest() {
        rt.start();
    }

    private Set<List<Integer>> edgesOf(Topology.Plan plan, String prefix) {
        Set<List<Integer>> seen = ConcurrentHashMap.newKeySet();
        Topology<Msg> t = plan.spawn(rt, prefix, node -> Behaviors.nonBlocking((ctx, m) -> {
            switch (m.payload()) {
                case Hello h -> node.neighbours().forEach(n -> n.signal(new Hi(node.index())));
                case Hi hi -> seen.add(List.of(hi.from(), node.index()));
            }
        }));
        int expected = 0;
        for (int i = 0; i < t.size(); i++) {
            expected += t.node(i).neighbours().size();
            t.ref(i).signal(new Hello());
        }
        int total = expected;
        Await.until(() -> seen.size() == total, "all greetings");
        return seen;
    }

    private static Set<List<Integer>> undirected(Set<List<Integer>> oneWay) {
        Set<List<Integer>> both = new HashSet<>(oneWay);
        oneWay.forEach(e -> both.add(List.of(e.get(1), e.get(0))));
        return both;
    }

    @Test
    void aMeshConnectsEveryoneWithEveryone() {
        Set<List<Integer>> expected = new HashSet<>();
        for (int i = 0; i < 7; i++) {
            for (int j = 0; j < 7; j++) {
                if (i != j) {
                    expected.add(List.of(i, j));
                }
            }
        }
        assertEquals(expected, edgesOf(Topology.mesh(7), "mesh"));
    }

    @Test
    void aRingConnectsNeighboursAndCloses() {
        Set<List<Integer>> expected = new HashSet<>();
        for (int i = 0; i < 9; i++) {
            expected.add(List.of(i, (i + 1) % 9));
        }
        assertEquals(undirected(expected), edgesOf(Topology.ring(9), "ring"));
        assertEquals(Set.of(List.of(0, 1), List.of(1, 0)), edgesOf(Topology.ring(2), "ring2"));
        assertEquals(Set.of(), edgesOf(Topology.ring(1), "ring1"));
    }

    @Test
    void aStarConnectsTheHubToEveryLeaf() {
        Set<List<Integer>> expected = new HashSet<>();
        for (int i = 1; i < 6; i++) {
            expected.add(List.of(0, i));
        }
        assertEquals(undirected(expected), edgesOf(Topology.star(6), "star"));
    }

    @Test
    void aTreeConnectsParentsAndChildren() {
        // 13 nodes, fan-out 3: 0 -> 1,2,3; 1 -> 4,5,6; 2 -> 7,8,9; 3 -> 10,11,12
        Set<List<Integer>> expected = new HashSet<>();
        for (int child = 1; child < 13; child++) {
            expected.add(List.of((child - 1) / 3, child));
        }
        assertEquals(undirected(expected), edgesOf(Topology.tree(13, 3), "tree"));
        Topology<Msg> t = Topology.tree(13, 3).spawn(rt, "t2", node -> Behaviors.nonBlocking((ctx, m) -> { }));
        assertTrue(t.node(0).parent().isEmpty());
        assertEquals(t.ref(1), t.node(5).parent().orElseThrow());
        assertEquals(List.of(t.ref(7), t.ref(8), t.ref(9)), t.node(2).children());
        assertEquals(List.of(), t.node(12).children());
    }

    @Test
    void aMessageGoesRoundTheRingThroughTheNeighbours() throws Exception {
        record Lap(int hops) implements Val {
        }
        java.util.concurrent.CompletableFuture<Integer> back = new java.util.concurrent.CompletableFuture<>();
        Topology<Lap> ring = Topology.ring(10).spawn(rt, "lap", node -> Behaviors.nonBlocking((ctx, m) -> {
            if (node.index() == 0 && m.payload().hops() > 0) {
                back.complete(m.payload().hops());
            } else {
                node.neighbours().getLast().signal(new Lap(m.payload().hops() + 1));
            }
        }));
        ring.ref(0).signal(new Lap(0));
        assertEquals(10, back.get(WATCHDOG.toSeconds(), TimeUnit.SECONDS));
    }

    @Test
    void badArgumentsAreNamedAndNeighboursAreNotReadBeforeTheyExist() {
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class, () -> Topology.mesh(0));
        assertTrue(size.getMessage().contains("size") && size.getMessage().contains("0"));
        IllegalArgumentException fanOut = assertThrows(IllegalArgumentException.class, () -> Topology.tree(5, 0));
        assertTrue(fanOut.getMessage().contains("fanOut") && fanOut.getMessage().contains("0"));
        IllegalStateException early = assertThrows(IllegalStateException.class, () -> Topology.star(3)
                .<Msg>spawn(rt, "early", node -> {
                    node.neighbours();
                    return Behaviors.<Msg>nonBlocking((ctx, m) -> { });
                }));
        assertTrue(early.getMessage().contains("still being spawned"));
        assertTrue(rt.agents().stream().noneMatch(a -> a.name().startsWith("early")), "nothing spawned");
    }
}
