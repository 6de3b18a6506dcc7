package dev.myrmex.core.internal;

import dev.myrmex.core.AgentRef;
import dev.myrmex.core.Sendable;
import dev.myrmex.core.spi.Endpoint;
import java.lang.reflect.Constructor;

/** Agent references for tests of internals, before there is a runtime to make them. */
final class TestRefs {
    private static long next;

    private TestRefs() {
    }

    @SuppressWarnings("unchecked")
    static synchronized <M extends Sendable> AgentRef<M> ref(String name) {
        try {
            Constructor<?> c = AgentRef.class.getDeclaredConstructor(long.class, String.class, Endpoint.class,
                    dev.myrmex.core.AgentRuntime.class);
            c.setAccessible(true);
            return (AgentRef<M>) c.newInstance(++next, name, null, null); // an address only: nothing sends to it
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
