package dev.myrmex.core;

import dev.myrmex.core.internal.CoreAccess;
import dev.myrmex.core.internal.FencingTokens;
import dev.myrmex.core.internal.HandlerBehavior;
import dev.myrmex.core.internal.RandomStreams;
import dev.myrmex.core.internal.RuntimeEvents;
import dev.myrmex.core.internal.TimeoutWheel;
import dev.myrmex.core.spi.AgentStyle;
import dev.myrmex.core.spi.Endpoint;
import java.time.Duration;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * What the coordination primitives and other modules may do that users may not (see {@link CoreAccess}): the one
 * {@link CoreAccess.Bridge}, installed by {@link AgentRuntime}'s class initialiser. Stateless; every call may come
 * from any thread.
 */
final class CoreBridge implements CoreAccess.Bridge {
    @Override
    public <R extends Sendable> AgentRef<R> replyAddress(AgentRuntime rt, String name, Endpoint<R> endpoint) {
        rt.ensureRunning("make a reply address");
        return new AgentRef<>(rt.nextId(), name, endpoint, rt);
    }

    @Override
    public <M extends Sendable> boolean send(AgentRef<M> to, M payload, Tag sender) {
        return to.sendAs(payload, sender);
    }

    @Override
    public TimeoutWheel.Timeout schedule(AgentRuntime rt, Runnable task, Duration delay) {
        rt.ensureRunning("schedule a timeout");
        return rt.timeouts().schedule(task, delay);
    }

    @Override
    public RuntimeEvents events(AgentRuntime rt) {
        return rt.events();
    }

    @Override
    public Endpoint<?> endpointOf(AgentRef<?> ref) {
        return ref.endpoint();
    }

    @Override
    public DeadLetters deadLetters(AgentRuntime rt) {
        return rt.deadLetters();
    }

    @Override
    public AgentStyle styleOf(Behavior<?> behavior) {
        return HandlerBehavior.styleOf(behavior);
    }

    @Override
    public Class<?> codeOf(Behavior<?> behavior) {
        return HandlerBehavior.codeOf(behavior).getClass();
    }

    @Override
    public RandomGenerator random(AgentRuntime rt, RandomStreams.Consumer consumer) {
        return rt.random(consumer);
    }

    @Override
    public <T> T shared(AgentRuntime rt, Class<T> kind, Function<AgentRuntime, T> make) {
        return rt.shared(kind, make);
    }

    @Override
    public FencingTokens fencingTokens(AgentRuntime rt) {
        return rt.fencingTokens();
    }

    @Override
    public void ensureRunning(AgentRuntime rt, String what) {
        rt.ensureRunning(what);
    }

    @Override
    public boolean isStopped(AgentRuntime rt) {
        return rt.isStopped();
    }
}
