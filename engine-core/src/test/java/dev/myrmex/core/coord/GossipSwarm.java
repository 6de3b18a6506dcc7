package dev.myrmex.core.coord;

import static dev.myrmex.testkit.Await.WATCHDOG;

import dev.myrmex.core.AgentHandle;
import dev.myrmex.core.AgentRef;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.Behaviors;
import dev.myrmex.core.Val;
import dev.myrmex.testkit.Await;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * For the gossip tests: a runtime with {@code n} member agents, some of them crashed (stopped) on purpose, that
 * count what each member is handed per broadcast and from whom: its own relay ({@code <group>-relay-<i>}), the
 * repair (no sender), or anyone else (which must never happen).
 */
final class GossipSwarm implements AutoCloseable {
    record News(int n) implements Val {
    }

    private static final int FLUSH = -1;

    final AgentRuntime rt;
    final int n;
    final int broadcasts;
    final Set<Integer> crashed = new HashSet<>();
    final List<AgentRef<News>> refs;
    private final AtomicIntegerArray received; // member x broadcast: deliveries
    private final AtomicIntegerArray repaired; // of those, with no sender: the repair's
    private final AtomicInteger strangers = new AtomicInteger(); // deliveries from anyone but the member's relay
    private final AtomicInteger flushed = new AtomicInteger(); // FLUSH markers handled
    private int flushes; // FLUSH markers sent

    /** {@code crashedPercent} of the members, drawn with {@code seed}, are stopped before any broadcast. */
    GossipSwarm(int n, int crashedPercent, long seed, int broadcasts, String group) throws Exception {
        this.n = n;
        this.broadcasts = broadcasts;
        this.received = new AtomicIntegerArray(n * broadcasts);
        this.repaired = new AtomicIntegerArray(n * broadcasts);
        rt = AgentRuntime.builder().workers(2).randomSeed(seed).maxAgents(2 * n + 10).build();
        rt.start();
        List<AgentHandle<News>> handles = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int me = i;
            String relay = group + "-relay-" + i;
            handles.add(rt.spawn("m" + i, Behaviors.<News>nonBlocking((ctx, m) -> {
                if (m.payload().n() == FLUSH) {
                    flushed.incrementAndGet();
                    return;
                }
                int slot = m.payload().n() * n + me;
                received.incrementAndGet(slot);
                if (m.sender() == null) {
                    repaired.incrementAndGet(slot);
                } else if (!((AgentRef<?>) m.sender()).name().equals(relay)) {
                    strangers.incrementAndGet();
                }
            })));
        }
        Random random = new Random(seed);
        int k = n * crashedPercent / 100;
        while (crashed.size() < k) {
            crashed.add(random.nextInt(n));
        }
        for (int c : crashed) {
            handles.get(c).stopNow();
        }
        for (int c : crashed) {
            handles.get(c).join(WATCHDOG);
        }
        refs = handles.stream().map(AgentHandle::ref).toList();
    }

    int live() {
        return n - crashed.size();
    }

    /**
     * Checks who got broadcast {@code b}, once its report is out: every member in {@code reached} exactly once, from
     * its relay or (as many as {@code byRepair}) from the repair; nobody else; nobody from a stranger. Every delivery
     * was in its member's mailbox before the report completed, so a marker sent to each live member now comes after
     * them all: once every marker is handled, the counts are final.
     *
     * @return a description of the first thing that is wrong, or null
     */
    String check(int b, Set<Integer> reached, int byRepair) {
        for (int i = 0; i < n; i++) {
            if (!crashed.contains(i)) {
                refs.get(i).signal(new News(FLUSH));
                flushes++;
            }
        }
        int markers = flushes;
        Await.until(() -> flushed.get() == markers, "every live member handled what it was sent");
        int first = b * n;
        int repairs = 0;
        for (int i = 0; i < n; i++) {
            int got = received.get(first + i);
            if (got != (reached.contains(i) ? 1 : 0)) {
                return "member " + i + (crashed.contains(i) ? " (crashed)" : "") + " got broadcast " + b + " " + got
                        + " times";
            }
            repairs += repaired.get(first + i);
        }
        if (repairs != byRepair) {
            return repairs + " members got broadcast " + b + " from the repair, the report says " + byRepair;
        }
        return strangers.get() == 0 ? null : strangers.get() + " deliveries came from another member's relay";
    }

    /** The members that are not crashed. */
    Set<Integer> liveMembers() {
        Set<Integer> s = new HashSet<>();
        for (int i = 0; i < n; i++) {
            if (!crashed.contains(i)) {
                s.add(i);
            }
        }
        return s;
    }

    /** The indices of {@code agents} among the members. */
    Set<Integer> indices(List<AgentRef<?>> agents) {
        Set<Integer> s = new HashSet<>();
        for (AgentRef<?> a : agents) {
            s.add(refs.indexOf(a));
        }
        return s;
    }

    @Override
    public void close() {
        rt.close();
    }
}
