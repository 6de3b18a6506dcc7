package dev.myrmex.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * A uniquely owned object that moves: sending an {@code Iso} hands its content to the receiver, and the sender's
 * {@code Iso} is empty from then on. A later {@link #get()} by the sender, or a second send, throws. Use it for a
 * large mutable object (a buffer, a batch being built) that one agent at a time may touch, without copying it.
 *
 * <pre>{@code
 * Iso<byte[]> frame = Iso.of(new byte[64 * 1024]);
 * fill(frame.get());
 * Iso<byte[]> moved = frame.move();   // what sending does; frame.get() now throws
 * }</pre>
 *
 * <h2>Contract</h2>
 * Meant for one owner at a time. {@link #move()} is atomic, so two racing moves (or sends) of the same {@code Iso}
 * cannot both succeed: exactly one gets the content, the other throws. A send that is refused with an exception
 * (a full mailbox under FAIL, or still full under BLOCK) leaves the content with the sender; one that becomes a dead
 * letter has moved it into the dead letter. The content must not be reachable from
 * anywhere else: the runtime cannot check that, the owner promises it.
 *
 * @param <T> the owned object's type
 */
public final class Iso<T> implements Sendable {
    private static final VarHandle VALUE;

    static {
        try {
            VALUE = MethodHandles.lookup().findVarHandle(Iso.class, "value", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // through VALUE
    private volatile Object value; // null once moved

    private Iso(T value) {
        this.value = value;
    }

    /** Takes ownership of {@code value}, which must not be null and must not be reachable from elsewhere. */
    public static <T> Iso<T> of(T value) {
        return new Iso<>(Objects.requireNonNull(value, "an Iso must own something"));
    }

    /**
     * The owned object.
     *
     * @throws IllegalStateException if this {@code Iso} was moved (sent): its content belongs to the receiver
     */
    @SuppressWarnings("unchecked")
    public T get() {
        Object v = VALUE.getAcquire(this);
        if (v == null) {
            throw new IllegalStateException("this Iso was moved (sent): its content belongs to the receiver now");
        }
        return (T) v;
    }

    /** True once the content was moved away. */
    public boolean isMoved() {
        return VALUE.getAcquire(this) == null;
    }

    /**
     * Moves the content into a new {@code Iso} and leaves this one empty: what sending does.
     *
     * @throws IllegalStateException if this {@code Iso} was already moved (a second send)
     */
    @SuppressWarnings("unchecked")
    public Iso<T> move() {
        Object v = VALUE.getAndSet(this, (Object) null);
        if (v == null) {
            throw new IllegalStateException("this Iso was already moved (sent): an Iso can be sent once");
        }
        return new Iso<>((T) v);
    }

    /**
     * Takes the content back from {@code moved}, the {@code Iso} a send made, when the send was refused (an exception,
     * not a dead letter): the sender owns it again. Runtime use only.
     */
    @SuppressWarnings("unchecked")
    void takeBack(Iso<?> moved) {
        Object v = VALUE.getAndSet(moved, (Object) null);
        if (v != null) {
            VALUE.setRelease(this, (T) v);
        }
    }

    @Override
    public String toString() {
        Object v = VALUE.getAcquire(this);
        return v == null ? "Iso[moved]" : "Iso[" + v.getClass().getSimpleName() + "]";
    }
}
