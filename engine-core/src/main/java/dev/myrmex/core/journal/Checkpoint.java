package dev.myrmex.core.journal;

import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An agent's state at one moment, encoded by a declared codec, so that a recovering runtime can bring the agent back
 * from it. The bytes are copied in and out: a checkpoint is immutable.
 *
 * @param time    when it was taken
 * @param agent   the agent's name
 * @param factory the name of the factory that recreates the agent on recovery
 * @param codec   the id of the codec that wrote {@code state} (and must read it)
 * @param state   the encoded state
 */
public record Checkpoint(Instant time, String agent, String factory, String codec, byte[] state)
        implements JournalRecord {
    public Checkpoint {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(factory, "factory");
        Objects.requireNonNull(codec, "codec");
        state = Objects.requireNonNull(state, "state").clone();
    }

    @Override
    public byte[] state() {
        return state.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Checkpoint c && time.equals(c.time) && agent.equals(c.agent) && factory.equals(c.factory)
                && codec.equals(c.codec) && Arrays.equals(state, c.state);
    }

    @Override
    public int hashCode() {
        return Objects.hash(time, agent, factory, codec, Arrays.hashCode(state));
    }

    @Override
    public String toString() {
        String head = HexFormat.of().formatHex(state, 0, Math.min(16, state.length));
        return "Checkpoint[" + time + ", agent " + agent + ", factory " + factory + ", codec " + codec + ", "
                + state.length + " bytes: " + head + (state.length > 16 ? "..." : "") + "]";
    }
}
