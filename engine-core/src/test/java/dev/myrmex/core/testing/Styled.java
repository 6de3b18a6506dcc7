package dev.myrmex.core.testing;

import dev.myrmex.core.Behavior;
import dev.myrmex.core.Behaviors;
import dev.myrmex.core.MessageHandler;
import dev.myrmex.core.Sendable;
import dev.myrmex.core.spi.AgentStyle;

/**
 * One message handler as a behavior of any {@link AgentStyle}, for tests that run the same agent in every style (with
 * {@code @EnumSource(AgentStyle.class)}): the runtime's own enum, not one per test.
 */
public final class Styled {
    private Styled() {
    }

    /** {@code handler} run in {@code style}: a direct-style loop that hands each message to it, or a handler. */
    public static <M extends Sendable> Behavior<M> behavior(AgentStyle style, MessageHandler<M> handler) {
        return switch (style) {
            case HANDLER -> Behaviors.nonBlocking(handler);
            case BLOCKING_HANDLER -> Behaviors.receive(handler);
            case DIRECT -> ctx -> {
                while (true) {
                    handler.handle(ctx, ctx.receive());
                }
            };
        };
    }
}
