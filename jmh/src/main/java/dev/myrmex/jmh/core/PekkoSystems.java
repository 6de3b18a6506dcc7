package dev.myrmex.jmh.core;

import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorSystem;

/** The Pekko baseline's plumbing shared by the agent benchmarks. */
final class PekkoSystems {
    private PekkoSystems() {
    }

    /** Terminates {@code system} and waits (at most 30 s) until it has. */
    static void terminate(ActorSystem system) {
        try {
            system.terminate();
            scala.concurrent.Await.result(system.whenTerminated(),
                    scala.concurrent.duration.Duration.create(30, TimeUnit.SECONDS));
        } catch (Exception e) {
            throw new IllegalStateException("the Pekko actor system did not terminate", e);
        }
    }
}
