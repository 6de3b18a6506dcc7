package dev.myrmex.core.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs lifecycle hooks so that one that throws is reported (logged, counted) and harms nothing else. */
final class Hooks {
    private static final Logger LOG = LoggerFactory.getLogger(Hooks.class);

    private Hooks() {
    }

    static void call(AgentCell<?> agent, String hook, Runnable body) {
        try {
            body.run();
        } catch (VirtualMachineError fatal) {
            throw fatal; // out of memory or stack: not the hook's fault to report, and nothing is safe to do
        } catch (Throwable t) {
            agent.counters().hookFailed();
            LOG.warn("lifecycle hook {} of agent {} threw; the agent carries on", hook, agent.name(), t);
        }
    }
}
