package dev.myrmex.core;

import dev.myrmex.core.internal.HandlerBehavior;
import dev.myrmex.core.internal.SetupBehavior;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Handler-style behaviors: the agent is a function called once per message, and holds no thread while its mailbox
 * is empty (an idle agent costs a few hundred bytes of heap, so millions fit). Compare the direct style, a
 * {@link Behavior} lambda that loops over {@code ctx.receive()} on a virtual thread of its own.
 *
 * <pre>{@code
 * record Add(long amount) implements Val {}
 * record Total(long value) implements Val {}
 *
 * long[] total = {0};                                            // the agent's state: one turn at a time touches it
 * AgentHandle<Add> summer = rt.spawn("summer", Behaviors.nonBlocking((ctx, m) -> total[0] += m.payload().amount()));
 * summer.ref().signal(new Add(5));
 *
 * AgentHandle<Add> writer = rt.spawn("writer", Behaviors.receive((ctx, m) -> {
 *     Files.writeString(log, m.payload() + "\n", StandardOpenOption.APPEND);   // blocking is fine here
 * }));
 * }</pre>
 *
 * <p>Either way the handler is called for one message at a time, in mailbox order, and each call sees what the
 * previous one did. A handler that throws fails the agent; {@link AgentContext#stopSelf()} ends it after the current
 * message; its context has no {@code receive} (that is {@link DirectContext}'s): messages come to it.
 */
public final class Behaviors {
    private Behaviors() {
    }

    /**
     * A handler that may block (I/O, {@code ask(..).get()}, locks): when mail arrives, a virtual thread is started to
     * run the handler over the queued messages, and it ends when the mailbox is empty.
     */
    public static <M extends Sendable> Behavior<M> receive(MessageHandler<M> handler) {
        return new HandlerBehavior<>(Objects.requireNonNull(handler, "handler"), false);
    }

    /**
     * A handler that never blocks: it runs straight on the scheduler's carrier threads, with no virtual thread at all,
     * the way a Pekko actor runs on its dispatcher. The fastest kind of agent. A handler that blocks anyway holds a
     * carrier until it returns (the scheduler's stall monitor moves the other work off it, and adds spare carriers
     * while it is held). Its sends never wait on the carrier: a send that finds the recipient at its high watermark,
     * or full under BLOCK, <em>mutes</em> the agent (as Pony does): a message the full mailbox did not take is kept,
     * in order, the turn ends after the message being handled, and the agent is not scheduled again until the
     * recipient has drained to its low watermark (at most the recipient's block timeout; a kept message whose mailbox
     * is still full then becomes a dead letter). The send returns true all the same: the message will be delivered
     * in order, or counted as a dead letter. An agent that is overloaded itself keeps running while muted (as long as
     * it holds fewer kept sends than its own mailbox capacity, at least 64), so agents that flood each other do not
     * stop each other.
     */
    public static <M extends Sendable> Behavior<M> nonBlocking(MessageHandler<M> handler) {
        return new HandlerBehavior<>(Objects.requireNonNull(handler, "handler"), true);
    }

    /**
     * A behavior built afresh for each incarnation: at the spawn and at every restart by a supervisor, the runtime
     * calls {@code factory}, so state made in it starts over (a handler's fields, counters, caches).
     *
     * <pre>{@code
     * Behavior<Add> summer = Behaviors.setup(() -> {
     *     long[] total = {0};                              // a restart starts again from 0
     *     return Behaviors.nonBlocking((ctx, m) -> total[0] += m.payload().amount());
     * });
     * }</pre>
     *
     * The spawn calls the factory on the spawning thread (the behavior it makes tells the agent's style), so a
     * factory that throws there fails the spawn; a restart calls it on the agent's side, where throwing fails that
     * incarnation like any failure. Every
     * incarnation must be of the same style (direct, blocking-friendly handler, or non-blocking handler) as the first.
     */
    public static <M extends Sendable> Behavior<M> setup(Supplier<? extends Behavior<M>> factory) {
        return new SetupBehavior<>(Objects.requireNonNull(factory, "factory"));
    }
}
