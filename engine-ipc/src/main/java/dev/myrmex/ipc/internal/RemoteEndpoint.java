package dev.myrmex.ipc.internal;

import dev.myrmex.core.Message;
import dev.myrmex.core.Sendable;
import dev.myrmex.core.internal.Endpoint;
import dev.myrmex.core.internal.Pace;

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
}
