package dev.myrmex.ipc.internal;

import dev.myrmex.core.DeadLetter;
import dev.myrmex.core.Message;
import dev.myrmex.core.Sendable;
import dev.myrmex.core.spi.Endpoint;
import dev.myrmex.core.spi.Pace;
import dev.myrmex.core.spi.StackTraces;

/**
 * Where a reference to an agent on the other side of a channel delivers: into the ring towards it, addressed to it.
 * Immutable; any thread.
 */
final class RemoteEndpoint implements Endpoint<Sendable> {
    final AddressBook book;
    final long address;

    RemoteEndpoint(AddressBook book, long address) {
        this.book = book;
        this.address = address;
    }

    @Override
    public boolean deliver(Message<Sendable> message, Pace pace) throws InterruptedException {
        return book.outbound().send(message, address, pace != Pace.NEVER_WAIT);
    }

    /**
     * A message this address sent became a dead letter on this side: the other side is told, for its ask waiting
     * there. Best effort, never waiting: a ring with no room now, or a side that is gone, is not told, and its ask
     * times out. Not for the hosted agent's own address: it is never an ask's.
     */
    @Override
    public void bounced(DeadLetter.Reason reason, Throwable cause) {
        if (address != Addresses.HOSTED) {
            book.outbound().bounce(address, reason, cause == null ? "" : StackTraces.of(cause));
        }
    }
}
