package dev.myrmex.jmh.core;

import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Props;

/** The Pekko baseline's plumbing shared by the agent benchmarks: default settings throughout. */
public final class PekkoSystems {
    private PekkoSystems() {
    }

    /** Terminates {@code system} and waits (at most 30 s) until it has. */
    public static void terminate(ActorSystem system) {
        try {
            system.terminate();
            scala.concurrent.Await.result(system.whenTerminated(),
                    scala.concurrent.duration.Duration.create(30, TimeUnit.SECONDS));
        } catch (Exception e) {
            throw new IllegalStateException("the Pekko actor system did not terminate", e);
        }
    }

    /**
     * An unnamed classic actor that hands every message to {@code handler} ({@code matchAny}: the cheapest dispatch
     * Pekko offers, so the baseline is not slowed down by our choice of matching).
     */
    public static ActorRef actor(ActorSystem system, BiConsumer<FnActor, Object> handler) {
        return system.actorOf(Props.create(FnActor.class, () -> new FnActor(handler)));
    }

    /** A classic actor whose behavior is a function; it passes itself so the function can reply or stop it. */
    public static final class FnActor extends AbstractActor {
        private final BiConsumer<FnActor, Object> handler;

        FnActor(BiConsumer<FnActor, Object> handler) {
            this.handler = handler;
        }

        @Override
        public Receive createReceive() {
            return receiveBuilder().matchAny(m -> handler.accept(this, m)).build();
        }

        /** Replies to the sender of the current message. */
        public void reply(Object answer) {
            getSender().tell(answer, getSelf());
        }

        /** Stops this actor after the current message. */
        public void stopSelf() {
            getContext().stop(getSelf());
        }
    }
}
