package dev.myrmex.ipc.internal;

import dev.myrmex.core.AgentRef;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.DeadLetter;
import dev.myrmex.core.DeadLetters;
import dev.myrmex.core.Message;
import dev.myrmex.core.Sendable;
import dev.myrmex.core.Tag;
import dev.myrmex.core.spi.Endpoint;
import dev.myrmex.core.spi.Hosting;
import dev.myrmex.core.spi.Pace;
import dev.myrmex.ipc.FrameDecodeException;
import dev.myrmex.ipc.MessageCodec;
import dev.myrmex.ipc.PeerFailureException;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One side's half of a channel's addressing ({@link Addresses}): the references this side has sent across (its
 * exports, by address) and the references it made for the other side's addresses (its imports).
 *
 * <p>Both tables hold their references weakly: an export lives as long as its agent or pending reply address does
 * here (the runtime keeps those reachable), so a table never grows with finished asks; an address whose reference is
 * gone resolves to a reference that dead-letters what is sent to it ({@link DeadLetter.Reason#NO_RECIPIENT}).
 * Thread-safe: concurrent maps; cleared entries are purged as new ones are added.
 */
public final class AddressBook implements MessageCodec.TagTable {
    private final AgentRuntime runtime;
    private final Addresses.Side side;
    private final String channelName;
    private final Outbound outbound;
    private final ConcurrentHashMap<Long, Entry> exports = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, Entry> imports = new ConcurrentHashMap<>();
    private final ReferenceQueue<AgentRef<?>> cleared = new ReferenceQueue<>();
    private volatile AgentRef<?> hosted; // the hosted agent's reference on this side

    private static final class Entry extends WeakReference<AgentRef<?>> {
        final long address;
        final boolean exported;

        Entry(AgentRef<?> ref, long address, boolean exported, ReferenceQueue<AgentRef<?>> q) {
            super(ref, q);
            this.address = address;
            this.exported = exported;
        }
    }

    public AddressBook(AgentRuntime runtime, Addresses.Side side, String channelName, Outbound outbound) {
        this.runtime = runtime;
        this.side = side;
        this.channelName = channelName;
        this.outbound = outbound;
    }

    /** Names the hosted agent's reference on this side: what {@link Addresses#HOSTED} resolves to. */
    public void bindHosted(AgentRef<?> ref) {
        this.hosted = ref;
    }

    Outbound outbound() {
        return outbound;
    }

    @Override
    public long addressOf(Tag tag) {
        AgentRef<?> ref = (AgentRef<?>) tag; // the only Tag there is
        if (ref == hosted) {
            return Addresses.HOSTED;
        }
        Endpoint<?> endpoint = Hosting.get().endpointOf(ref);
        if (endpoint instanceof RemoteEndpoint remote && remote.book == this) {
            return remote.address; // one of the other side's own: it gets its address back
        }
        long address = side.mint(ref.id());
        Entry e = exports.get(address);
        if (e == null || e.get() == null) {
            purge();
            exports.put(address, new Entry(ref, address, true, cleared));
        }
        return address;
    }

    @Override
    public Tag tagAt(long address) throws FrameDecodeException {
        if (address == Addresses.HOSTED) {
            AgentRef<?> h = hosted;
            if (h == null) {
                throw new FrameDecodeException("the hosted agent's address before it has one");
            }
            return h;
        }
        if (!Addresses.isValid(address) || address == Addresses.NONE) {
            throw new FrameDecodeException("malformed address " + Long.toHexString(address));
        }
        if (side.minted(address)) {
            AgentRef<?> ref = exported(address);
            return ref != null ? ref : gone(address);
        }
        Entry e = imports.get(address);
        AgentRef<?> ref = e == null ? null : e.get();
        if (ref == null) {
            purge();
            AgentRef<Sendable> made = Hosting.get().replyAddress(runtime,
                    channelName + "@" + side.other().name().toLowerCase() + "#" + Addresses.id(address),
                    new RemoteEndpoint(this, address));
            imports.put(address, new Entry(made, address, false, cleared));
            ref = made;
        }
        return ref;
    }

    /**
     * A BOUNCED frame from the other side: a message sent with {@code f.target()}, an address of this side, as its
     * sender became a dead letter there. The address's endpoint is told (an ask's reply address fails its ask with
     * the reason, the cause a {@link PeerFailureException}); an address that is gone (its ask ended) has nobody to
     * tell.
     *
     * @throws FrameDecodeException if the target is not an address this side gives out
     */
    void bounced(Frames.Frame f) throws FrameDecodeException {
        long target = f.target();
        if (target == Addresses.HOSTED) {
            return; // the hosted agent's own address is never an ask's
        }
        if (!Addresses.isValid(target) || !side.minted(target)) {
            throw new FrameDecodeException("a BOUNCED frame for " + Long.toHexString(target)
                    + ", which is not an address of the " + side.name().toLowerCase());
        }
        AgentRef<?> ref = exported(target);
        if (ref != null) {
            Hosting.get().endpointOf(ref).bounced(f.bouncedReason(),
                    f.text().isEmpty() ? null : new PeerFailureException(f.text()));
        }
    }

    /** The reference this side gave out as {@code address}, or null if it names nothing (any more). */
    private AgentRef<?> exported(long address) {
        Entry e = exports.get(address);
        return e == null ? null : e.get();
    }

    /** {@link #tagAt}, or null for a malformed address: for naming a dead letter's recipient. */
    public Tag recipientAt(long address) {
        try {
            return tagAt(address);
        } catch (FrameDecodeException e) {
            return null;
        }
    }

    /** A reference for an address of ours that names nothing (any more): what is sent to it is a dead letter. */
    private AgentRef<Sendable> gone(long address) {
        Nowhere nowhere = new Nowhere(Hosting.get().deadLetters(runtime));
        nowhere.self = Hosting.get().replyAddress(runtime, channelName + "@gone#" + Addresses.id(address), nowhere);
        return nowhere.self;
    }

    /** The endpoint of an address that names nothing. */
    private static final class Nowhere implements Endpoint<Sendable> {
        private final DeadLetters deadLetters;
        private AgentRef<Sendable> self; // set once, before the reference is handed out

        Nowhere(DeadLetters deadLetters) {
            this.deadLetters = deadLetters;
        }

        @Override
        public boolean deliver(Message<Sendable> message, Pace pace) {
            deadLetters.publish(new DeadLetter(message, self, DeadLetter.Reason.NO_RECIPIENT));
            return false;
        }
    }

    private void purge() {
        for (Object r; (r = cleared.poll()) != null; ) {
            Entry e = (Entry) r;
            (e.exported ? exports : imports).remove(e.address, e);
        }
    }

    /** How many addresses each table holds now: for tests. */
    public int size() {
        return exports.size() + imports.size();
    }
}
