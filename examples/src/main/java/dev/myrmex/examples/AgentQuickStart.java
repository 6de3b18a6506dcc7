package dev.myrmex.examples;

import dev.myrmex.core.AgentHandle;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.Behaviors;
import dev.myrmex.core.Message;
import dev.myrmex.core.Request;
import dev.myrmex.core.Val;
import java.time.Duration;

/** The README's agent example, compiled and run by the build so that it cannot rot. */
public final class AgentQuickStart {
    private AgentQuickStart() {
    }

    record Quote(String symbol, long priceMicros) implements Request<Quote, Total> {} // a Val; asked, a Total

    record Total(long micros) implements Val {}

    public static void main(String[] args) throws Exception {
        try (AgentRuntime rt = AgentRuntime.builder().workers(2).build()) {   // close(): graceful stop
            rt.start();
            AgentHandle<Quote> analyzer = rt.spawn("analyzer", ctx -> {       // runs on its own virtual thread
                long total = 0;
                while (true) {
                    Message<Quote> m = ctx.receive();                         // parks only this agent
                    total += m.payload().priceMicros();
                    if (m.hasSender()) {
                        ctx.reply(m.payload(), new Total(total));             // answers an ask
                    }
                }
            });
            analyzer.ref().signal(new Quote("ACME", 12_500_000));            // fire and forget
            Total t = analyzer.ref().ask(new Quote("ACME", 12_600_000), Duration.ofSeconds(1)).get();
            System.out.println("total " + t.micros() + ", state " + analyzer.state() + ", " + analyzer.metrics());

            long[] count = {0};                                                // one turn at a time touches it
            AgentHandle<Quote> counter = rt.spawn("counter", Behaviors.nonBlocking((ctx, m) -> {
                count[0]++;                                                    // no thread while idle
                if (m.hasSender()) {
                    ctx.reply(m.payload(), new Total(count[0]));   // only a Total compiles
                }
            }));
            counter.ref().signal(new Quote("ACME", 1));
            Total n = counter.ref().ask(new Quote("ACME", 2), Duration.ofSeconds(1)).get();
            System.out.println("counted " + n.micros());
        }
    }
}
