package dev.myrmex.ipc.internal;

import dev.myrmex.core.Behavior;
import dev.myrmex.core.Behaviors;
import dev.myrmex.core.MessageHandler;
import dev.myrmex.core.Sendable;
import java.lang.reflect.Constructor;

/**
 * How the parent names, on the child's command line, the behavior the child recreates: a {@code Behavior} class's
 * name, or {@code handler:} and a {@code MessageHandler} class's name. Each is made by its no-argument constructor.
 */
public final class BehaviorSpec {
    private static final String HANDLER = "handler:";

    private BehaviorSpec() {
    }

    /** A {@code Behavior} class. */
    public static String of(Class<?> behavior) {
        return behavior.getName();
    }

    /** A {@code MessageHandler} class, run as {@code Behaviors.receive(handler)}. */
    public static String handler(Class<?> handler) {
        return HANDLER + handler.getName();
    }

    /**
     * The behavior {@code spec} names, made afresh.
     *
     * @throws IllegalArgumentException if the class is not of the kind the spec says
     */
    @SuppressWarnings("unchecked") // recreated from the parent's behavior (or handler) of this agent's message type
    static Behavior<Sendable> make(String spec) throws ReflectiveOperationException {
        if (spec.startsWith(HANDLER)) {
            return Behaviors.receive((MessageHandler<Sendable>) instance(spec.substring(HANDLER.length()),
                    MessageHandler.class));
        }
        return (Behavior<Sendable>) instance(spec, Behavior.class);
    }

    static <T> T instance(String className, Class<T> type) throws ReflectiveOperationException {
        Class<?> c = Class.forName(className);
        if (!type.isAssignableFrom(c)) {
            throw new IllegalArgumentException(className + " is not a " + type.getSimpleName());
        }
        return type.cast(construct(c));
    }

    /** A new {@code type} by its no-argument constructor, public or not: the parent's codec and the child's alike. */
    public static <T> T construct(Class<T> type) throws ReflectiveOperationException {
        Constructor<T> ctor = type.getDeclaredConstructor();
        ctor.setAccessible(true);
        return ctor.newInstance();
    }
}
