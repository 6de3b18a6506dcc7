package dev.myrmex.core;

import dev.myrmex.core.internal.AgentCell;
import dev.myrmex.core.internal.RequestTypes;
import dev.myrmex.core.internal.ValVerifier;
import dev.myrmex.core.mailbox.MailboxFullException;
import dev.myrmex.core.spi.Endpoint;
import dev.myrmex.core.spi.Pace;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The address of an agent that takes messages of type {@code M}. It is a {@link Tag}: it can be sent in messages and
 * compared (by identity), and it reveals nothing of the agent's state. The type bound is the compile-time half of
 * the capability rules: {@code AgentRef<String>} does not compile, because {@code String} is not {@link Sendable}.
 *
 * <pre>{@code
 * AgentRef<Quote> analyzer = handle.ref();
 * analyzer.signal(new Quote("ACME", 12_500_000));                       // fire and forget
 * CompletableFuture<Verdict> v = risk.ask(new Check(order), Duration.ofMillis(50)); // a Request<Risk, Verdict>
 * }</pre>
 *
 * <p>References are made by the runtime only. Safe to use from any thread.
 *
 * @param <M> the messages the agent takes
 */
public final class AgentRef<M extends Sendable> implements Tag {
    private final long id;
    private final String name;
    private final Endpoint<M> endpoint;
    private final AgentRuntime runtime;

    AgentRef(long id, String name, Endpoint<M> endpoint, AgentRuntime runtime) {
        this.id = id;
        this.name = name;
        this.endpoint = endpoint;
        this.runtime = runtime;
    }

    /** The runtime-unique number of the agent. */
    public long id() {
        return id;
    }

    /** The agent's name, unique within its runtime. */
    public String name() {
        return name;
    }

    /**
     * Sends {@code payload}. A {@link Val} is verified (once per class, plus any per-value checks); an {@link Iso} is
     * moved: the caller's {@code Iso} is empty afterwards. The message carries the sending agent as its sender when
     * called from an agent. Under backpressure (the recipient at its high watermark, or full under BLOCK) the sender
     * is slowed down, never the message lost: an agent on a thread of its own, or an outside thread, is held back
     * until the recipient drains to its low watermark (at most the block timeout); a non-blocking handler, which must
     * not wait on its carrier, is muted instead: a message a full mailbox did not take is kept, in order, and sent
     * once the recipient has drained, and the handler is not scheduled again until then (see
     * {@link Behaviors#nonBlocking}). Other overflow policies: FAIL throws, DROP makes it a dead letter; a stopped
     * recipient makes it a dead letter.
     *
     * @throws IllegalValException  if a Val payload is not deeply immutable
     * @throws IllegalStateException if an Iso payload was already moved
     * @throws MailboxFullException  if the mailbox is full and its policy is FAIL, or stayed full under BLOCK for the
     *                               block timeout; from a non-blocking handler, if within one message it kept
     *                               sending while as many of its sends wait for room as its own mailbox holds (at
     *                               least 64)
     * @return true if delivered to the mailbox (or, from a muted handler, kept to be delivered in order), false if it
     *         became a dead letter
     */
    public boolean signal(M payload) {
        AgentCell<?> current = AgentCell.current();
        return current == null ? send(payload, null, Pace.HOLD_BACK, null)
                : send(payload, current.ref(), pace(current), current);
    }

    /**
     * Sends {@code request} with a one-time reply address as its sender and returns the reply: the {@code R} its
     * {@link Request} type asks for. The recipient answers with {@link AgentContext#reply(Request, Sendable)}. The
     * future ends in one of three ways:
     * <ul>
     *   <li>the first reply completes it; a reply that is not an {@code R} fails it instead
     *       ({@link AskFailedException.Reason#WRONG_REPLY}) and is a dead letter;</li>
     *   <li>it fails <em>at once</em> with an {@link AskFailedException} when the runtime knows no reply will come,
     *       whose {@link AskFailedException#reason() reason} says why: the recipient had stopped or stopped before it
     *       took the request ({@code RECIPIENT_STOPPED}; the cause is its failure if it ended failing), it failed
     *       while processing the request ({@code RECIPIENT_FAILED}, the cause is what it threw), its mailbox was full
     *       ({@code MAILBOX_FULL}: dropped, or refused with the {@link MailboxFullException} as the cause; the ask
     *       does not throw it), nothing can take the request any more ({@code RECIPIENT_UNREACHABLE}: an
     *       out-of-process agent whose process died, an address that names nothing), or the runtime stopped while
     *       the ask was pending ({@code RUNTIME_STOPPED});</li>
     *   <li>otherwise, after {@code timeout}, it fails with a {@link java.util.concurrent.TimeoutException}: the
     *       request was delivered and no reply came in time (the recipient is slow, or took it and never
     *       answered).</li>
     * </ul>
     * {@code future.get()} wraps either failure in an {@link java.util.concurrent.ExecutionException},
     * {@code join()} in a {@link java.util.concurrent.CompletionException}. A reply after the future ended is a dead
     * letter ({@link DeadLetter.Reason#LATE_REPLY}).
     *
     * <pre>{@code
     * record GetBalance() implements Account, Request<Account, Balance> {}
     * CompletableFuture<Balance> b = account.ask(new GetBalance(), Duration.ofSeconds(1));
     * }</pre>
     *
     * @param <R> the reply the request asks for
     * @throws IllegalArgumentException if {@code timeout} is not positive, the request is not deeply immutable
     *                                  ({@link IllegalValException}), or its class is not itself one of the
     *                                  messages ({@code P}) its {@code Request} type names
     * @throws IllegalStateException    if the runtime is not running
     */
    public <R extends Sendable> CompletableFuture<R> ask(Request<? extends M, R> request, Duration timeout) {
        Objects.requireNonNull(request, "request");
        Class<?> reply = RequestTypes.of(request).reply();
        @SuppressWarnings("unchecked") // the class implements its protocol P, a subtype of M: checked just above
        M message = (M) request;
        return askFor(message, reply, timeout);
    }

    /**
     * {@link #ask(Request, Duration)} for a request whose type does not declare its reply (a message of a protocol
     * without {@link Request} types, an out-of-process agent's): the caller names the reply type, and a reply that is
     * not a {@code replyType} fails the future ({@link AskFailedException.Reason#WRONG_REPLY}) rather than a cast
     * later.
     *
     * <pre>{@code
     * CompletableFuture<Parsed> p = parser.ask(new Parse(text), Parsed.class, Duration.ofSeconds(5));
     * }</pre>
     *
     * @param <R> the reply type the caller expects
     * @throws IllegalArgumentException if {@code timeout} is not positive, or a Val request is not deeply immutable
     *                                  ({@link IllegalValException})
     * @throws IllegalStateException    if the runtime is not running, or an Iso request was already moved
     */
    public <R extends Sendable> CompletableFuture<R> ask(M request, Class<R> replyType, Duration timeout) {
        Objects.requireNonNull(replyType, "replyType");
        return askFor(request, replyType, timeout);
    }

    /** An ask whose reply must be a {@code replyType}, or anything when it is null. */
    private <R extends Sendable> CompletableFuture<R> askFor(M request, Class<?> replyType, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("ask timeout must be positive: " + timeout);
        }
        Asks.Promise<R> promise = Asks.open(runtime, name, timeout, endpoint.replyPoller(), replyType);
        AgentCell<?> current = AgentCell.current();
        try {
            send(request, promise.replyTo(), current == null ? Pace.HOLD_BACK : pace(current), current);
        } catch (MailboxFullException e) {
            promise.endpoint().fail(AskFailedException.Reason.MAILBOX_FULL, "the request was refused", e);
        } catch (RuntimeException | Error e) { // bad input: the caller's to see; settled so the timer goes now
            promise.future().completeExceptionally(e);
            throw e;
        }
        return promise.future();
    }

    /** Where this reference delivers: for the runtime's own modules, through {@code CoreAccess}. */
    Endpoint<M> endpoint() {
        return endpoint;
    }

    /**
     * {@link #signal}, with {@code sender} as the message's sender: for the runtime's primitives (a quorum's votes).
     */
    boolean sendAs(M payload, Tag sender) {
        AgentCell<?> current = AgentCell.current();
        return send(payload, sender, current == null ? Pace.HOLD_BACK : pace(current), current);
    }

    /**
     * How far backpressure may slow down this agent sender: not at all when its handler runs on a carrier (it must
     * not block); no hold-back when it sends to itself (it would wait for itself).
     */
    private Pace pace(AgentCell<?> sender) {
        if (!sender.mayBlock()) {
            return Pace.NEVER_WAIT;
        }
        return sender.ref() == this ? Pace.WAIT_FOR_ROOM : Pace.HOLD_BACK;
    }

    /** Sends as {@code current} (the calling agent, or null), whose stamp reading the message's enqueue time reuses. */
    @SuppressWarnings("unchecked")
    private boolean send(M payload, Tag sender, Pace pace, AgentCell<?> current) {
        Objects.requireNonNull(payload, "payload");
        M moved = switch (payload) {
            case Val v -> {
                ValVerifier.check(v);
                yield payload;
            }
            case Iso<?> iso -> (M) iso.move();
            case Tag t -> payload;
        };
        Message<M> message = Message.of(moved, sender,
                runtime.stamps().stamp(current == null ? null : current.stampReading()));
        try {
            return pace == Pace.NEVER_WAIT ? current.sendWithoutWaiting(endpoint, message)
                    : endpoint.deliver(message, pace);
        } catch (RuntimeException e) { // a full mailbox, or a payload an out-of-process agent cannot take
            giveBack(payload, moved);
            throw e;
        } catch (InterruptedException e) {
            giveBack(payload, moved);
            Thread.currentThread().interrupt();
            throw new MailboxFullException("interrupted while waiting for room in the mailbox of " + name
                    + "; the message was not sent");
        }
    }

    /** A refused send (an exception, not a dead letter) leaves an {@code Iso}'s content with its sender. */
    private static void giveBack(Sendable original, Sendable moved) {
        if (original instanceof Iso<?> iso && moved != original) {
            iso.takeBack((Iso<?>) moved);
        }
    }

    @Override
    public String toString() {
        return "AgentRef[" + name + "#" + id + "]";
    }
}
