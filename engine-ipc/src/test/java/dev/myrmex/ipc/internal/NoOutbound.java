package dev.myrmex.ipc.internal;

import dev.myrmex.core.DeadLetter;
import dev.myrmex.core.Message;
import dev.myrmex.core.Sendable;

/** An other side that takes every message and bounce and goes nowhere: for tests of one side's frames and book. */
final class NoOutbound implements Outbound {
    @Override
    public boolean send(Message<? extends Sendable> message, long target, boolean mayWait) {
        return true;
    }

    @Override
    public boolean bounce(long target, DeadLetter.Reason reason, String causeText) {
        return true;
    }
}
