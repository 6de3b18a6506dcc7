package dev.myrmex.core.internal;

import dev.myrmex.core.Behavior;
import dev.myrmex.core.DirectContext;
import dev.myrmex.core.MessageHandler;
import dev.myrmex.core.Sendable;
import dev.myrmex.core.spi.AgentStyle;

/**
 * A behavior made of a message handler ({@link dev.myrmex.core.Behaviors}). The runtime recognises it and runs the
 * handler in turns, with no thread while the agent is idle; {@link #run} gives the same meaning as a direct-style
 * loop, for code that runs behaviors itself.
 *
 * @param handler     what each message does
 * @param nonBlocking true: turns run straight on the carrier threads (the handler must not block); false: each turn
 *                    runs on a virtual thread started for it (blocking is fine)
 * @param <M>         the messages the agent takes
 */
public record HandlerBehavior<M extends Sendable>(MessageHandler<M> handler, boolean nonBlocking)
        implements Behavior<M> {

    /** How {@code behavior} runs: a handler's style, or the direct style for any other behavior. */
    public static AgentStyle styleOf(Behavior<?> behavior) {
        return behavior instanceof HandlerBehavior<?> h
                ? (h.nonBlocking() ? AgentStyle.HANDLER : AgentStyle.BLOCKING_HANDLER) : AgentStyle.DIRECT;
    }

    /** The object whose code {@code behavior} runs: its handler for a handler-style behavior, else itself. */
    public static Object codeOf(Behavior<?> behavior) {
        return behavior instanceof HandlerBehavior<?> h ? h.handler() : behavior;
    }

    @Override
    public void run(DirectContext<M> ctx) throws Exception {
        while (true) {
            handler.handle(ctx, ctx.receive());
        }
    }
}
