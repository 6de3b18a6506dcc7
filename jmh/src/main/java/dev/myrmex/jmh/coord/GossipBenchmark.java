package dev.myrmex.jmh.coord;

import dev.myrmex.core.AgentRef;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.Behaviors;
import dev.myrmex.core.Val;
import dev.myrmex.core.coord.Gossip;
import dev.myrmex.core.coord.GossipReport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Propagation time of one broadcast to 1,000 and 10,000 member agents: from the call until its report is out
 * ({@code GOSSIP}: push gossip, fanout 3 a round up to the default round limit, relays hopping in parallel on the
 * carriers, a receipt per rumour back to the broadcaster, then the repair of any member it missed; about 27 rumours
 * and 27 receipts per member). {@code DIRECT}: the broadcaster signals every member itself, one after the other
 * (the lower bound in one process; gossip's worth is that no single node sends N messages).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class GossipBenchmark {
    @Param({"1000", "10000"})
    public int agents;

    @Param({"GOSSIP", "DIRECT"})
    public String impl;

    record News(long n) implements Val {
    }

    private AgentRuntime rt;
    private final List<AgentRef<News>> members = new ArrayList<>();
    private final LongAdder received = new LongAdder();
    private Gossip<News> gossip;
    private long sent;

    @Setup(Level.Trial)
    public void setUp() {
        rt = AgentRuntime.builder().maxAgents(3 * agents).randomSeed(1).build();
        rt.start();
        for (int i = 0; i < agents; i++) {
            members.add(rt.<News>spawn("member-" + i, Behaviors.nonBlocking((ctx, m) -> received.increment())).ref());
        }
        gossip = Gossip.builder(rt, "bench", members).build();
    }

    @Benchmark
    public Object broadcast() throws Exception {
        News news = new News(++sent);
        if (impl.equals("GOSSIP")) {
            GossipReport r = gossip.broadcast(news).get(60, TimeUnit.SECONDS);
            if (r.reached() != agents) {
                throw new IllegalStateException("missed members: " + r);
            }
            return r;
        }
        for (AgentRef<News> m : members) {
            m.signal(news);
        }
        return news;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        gossip.close();
        rt.close();
    }
}
