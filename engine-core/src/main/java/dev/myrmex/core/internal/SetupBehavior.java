package dev.myrmex.core.internal;

import dev.myrmex.core.Behavior;
import dev.myrmex.core.DirectContext;
import dev.myrmex.core.Sendable;
import java.util.function.Supplier;

/**
 * A behavior made afresh for each incarnation of its agent ({@link dev.myrmex.core.Behaviors#setup}): the runtime
 * calls the factory at the spawn and at every restart, so state built in it starts over.
 *
 * @param factory makes the behavior; must not return null
 * @param <M>     the messages the agent takes
 */
public record SetupBehavior<M extends Sendable>(Supplier<? extends Behavior<M>> factory) implements Behavior<M> {

    @Override
    public void run(DirectContext<M> ctx) throws Exception {
        make(this).run(ctx);
    }

    /** {@code b} itself, or what its setup makes (setups nested in setups included). */
    public static <M extends Sendable> Behavior<M> make(Behavior<M> b) {
        Behavior<M> made = b;
        while (made instanceof SetupBehavior<M> setup) {
            made = setup.factory().get();
            if (made == null) {
                throw new IllegalStateException("a Behaviors.setup factory returned null");
            }
        }
        return made;
    }
}
