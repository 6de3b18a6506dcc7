package dev.myrmex.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Messages carry payload, capability, sender and enqueue time, and the capability always matches the payload. */
class MessageTest {
    record Ping(int n) implements Val {
    }

    @Test
    void theCapabilityIsDerivedFromThePayload() {
        AgentRef<Ping> ref = new AgentRef<>(7, "pinger", null, null);
        Message<Ping> val = Message.of(new Ping(1), ref, 123L);
        assertEquals(Capability.VAL, val.capability());
        assertSame(ref, val.sender());
        assertTrue(val.hasSender());
        assertEquals(123L, val.enqueuedNanos());

        Message<Iso<StringBuilder>> iso = Message.of(Iso.of(new StringBuilder()), null, 0);
        assertEquals(Capability.ISO, iso.capability());
        assertFalse(iso.hasSender());

        assertEquals(Capability.TAG, Message.of(ref, null, 0).capability());
    }

    @Test
    void aMismatchedOrMissingPartIsRejected() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new Message<>(new Ping(1), Capability.ISO, null, 0));
        assertTrue(e.getMessage().contains("ISO") && e.getMessage().contains("VAL"), e.getMessage());
        assertThrows(NullPointerException.class, () -> Message.of(null, null, 0));
        assertThrows(NullPointerException.class, () -> new Message<>(new Ping(1), null, null, 0));
    }
}
