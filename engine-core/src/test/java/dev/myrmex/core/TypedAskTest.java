package dev.myrmex.core;

import static dev.myrmex.testkit.Await.WATCHDOG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.core.metrics.RuntimeMetrics;
import dev.myrmex.core.testing.RuntimeExtension;
import dev.myrmex.testkit.Await;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Typed asks at run time: a {@link Request}'s reply comes back as its declared type in either style and through a
 * reply address kept for later; a reply of another type fails the ask ({@code WRONG_REPLY}) and is a counted dead
 * letter; a request class that is not one of the messages it names is refused; a typed reply outside the message
 * being processed is refused with a message saying what to do instead. {@link TypedAskCompileTest} proves the
 * compile-time half.
 */
class TypedAskTest {
    /** Longer than any wait below: an ask that ends only by its timeout makes its test fail, not pass late. */
    private static final Duration NEVER = Duration.ofMinutes(10);

    sealed interface Account extends Val permits Query, Deposit, Audit, Lookup, Stale {
    }

    /** A query of the account, through an interface of its own that carries the reply type down. */
    sealed interface Query<R extends Sendable> extends Account, Request<Account, R> permits GetBalance {
    }

    record GetBalance() implements Query<Balance> {
    }

    record Deposit(long amount) implements Account {
    }

    /** Answered with a Receipt through the untyped reply, though it asks for a Balance. */
    record Audit() implements Account, Request<Account, Balance> {
    }

    /** Answered later, by another thread, through the reply address the message gave. */
    record Lookup() implements Account, Request<Account, Balance> {
    }

    /** Answered with the typed reply, but only after a later message was taken. */
    record Stale() implements Account, Request<Account, Balance> {
    }

    /** Declares itself a request to Account agents without being an Account: refused when asked. */
    record Impostor() implements Request<Account, Balance> {
    }

    record Balance(long amount) implements Val {
    }

    record Receipt(long amount) implements Val {
    }

    @RegisterExtension
    final RuntimeExtension runtimes = new RuntimeExtension();
    private final AgentRuntime rt = runtimes.track(AgentRuntime.builder().workers(2).build());
    /** What a refused typed reply threw, for the test to see. */
    private final AtomicReference<Throwable> refused = new AtomicReference<>();

    private AgentRef<Account> handlerAccount() {
        long[] balance = {0};
        return rt.spawn("account", Behaviors.nonBlocking((AgentContext<Account> ctx, Message<Account> m) -> {
            switch (m.payload()) {
                case GetBalance g -> ctx.reply(g, new Balance(balance[0]));
                case Deposit d -> balance[0] += d.amount();
                case Audit a -> ctx.reply(m, new Receipt(balance[0])); // the untyped reply: checked on arrival
                case Lookup l -> {
                    AgentRef<Balance> replyTo = m.replyTo(l);
                    long now = balance[0];
                    Thread.ofPlatform().start(() -> {
                        try {
                            ctx.reply(l, new Balance(-1)); // not the agent's thread: refused
                        } catch (IllegalStateException e) {
                            refused.set(e);
                        }
                        replyTo.signal(new Balance(now));
                    });
                }
                case Stale s -> ctx.reply(s, new Balance(0));
            }
        })).ref();
    }

    @Test
    void aRequestsReplyComesBackAsItsTypeFromAHandler() throws Exception {
        rt.start();
        AgentRef<Account> account = handlerAccount();
        account.signal(new Deposit(40));
        account.signal(new Deposit(2));
        CompletableFuture<Balance> balance = account.ask(new GetBalance(), NEVER);
        assertEquals(new Balance(42), balance.get(WATCHDOG.toSeconds(), TimeUnit.SECONDS));
    }

    @Test
    void aRequestsReplyComesBackAsItsTypeFromADirectBehavior() throws Exception {
        rt.start();
        AgentRef<Account> account = rt.spawn("direct", (DirectContext<Account> ctx) -> {
            long balance = 0;
            while (true) {
                Message<Account> m = ctx.receive();
                switch (m.payload()) {
                    case GetBalance g -> ctx.reply(g, new Balance(balance));
                    case Deposit d -> balance += d.amount();
                    case Stale s -> {
                        Message<Account> next = ctx.receive(); // a later message: the stale one is no longer current
                        try {
                            ctx.reply(s, new Balance(0));
                        } catch (IllegalStateException e) {
                            refused.set(e);
                        }
                        m.replyTo(s).signal(new Balance(-2)); // its own reply address still answers it
                        if (next.payload() instanceof GetBalance g) {
                            ctx.reply(g, new Balance(balance));
                        }
                    }
                    default -> throw new AssertionError("not sent in this test: " + m.payload());
                }
            }
        }).ref();
        account.signal(new Deposit(7));
        assertEquals(new Balance(7), account.ask(new GetBalance(), NEVER).get(WATCHDOG.toSeconds(), TimeUnit.SECONDS));

        CompletableFuture<Balance> stale = account.ask(new Stale(), NEVER);
        CompletableFuture<Balance> after = account.ask(new GetBalance(), NEVER);
        assertEquals(new Balance(-2), stale.get(WATCHDOG.toSeconds(), TimeUnit.SECONDS));
        assertEquals(new Balance(7), after.get(WATCHDOG.toSeconds(), TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, refused.get());
        assertTrue(refused.get().getMessage().contains("is not processing that request now"),
                refused.get().getMessage());
    }

    @Test
    void aReplyAddressKeptForLaterAnswersFromAnotherThreadWhereTheContextRefuses() throws Exception {
        rt.start();
        AgentRef<Account> account = handlerAccount();
        account.signal(new Deposit(5));
        assertEquals(new Balance(5), account.ask(new Lookup(), NEVER).get(WATCHDOG.toSeconds(), TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, refused.get());
        assertTrue(refused.get().getMessage().contains("replyTo(request)"), refused.get().getMessage());
    }

    @Test
    void aReplyOfAnotherTypeFailsTheAskAndIsADeadLetter() {
        rt.start();
        AgentRef<Account> account = handlerAccount();
        CompletableFuture<Balance> audit = account.ask(new Audit(), NEVER);
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> audit.get(WATCHDOG.toSeconds(), TimeUnit.SECONDS));
        AskFailedException f = assertInstanceOf(AskFailedException.class, e.getCause());
        assertEquals(AskFailedException.Reason.WRONG_REPLY, f.reason());
        assertTrue(f.getMessage().contains(Receipt.class.getName()) && f.getMessage().contains(Balance.class.getName()),
                f.getMessage());
        Await.until(() -> rt.deadLetters().count(DeadLetter.Reason.WRONG_REPLY) == 1
                && rt.metrics().messagesReceived() == 1, "the wrong reply's dead letter, and the audit taken");
        RuntimeMetrics metrics = rt.metrics();
        assertEquals(1, metrics.messagesSent(),
                "the wrong reply went to the ask's address, not to an agent: it is not counted as sent and untaken");
        assertEquals("DeadLetters[1: WRONG_REPLY=1]", rt.deadLetters().toString());
        assertEquals("AgentRuntime[RUNNING, agents=1, workers=2, DeadLetters[1: WRONG_REPLY=1]]", rt.toString());
    }

    @Test
    void anAskThatNamesItsReplyTypeRefusesAnother() {
        rt.start();
        AgentRef<Account> account = handlerAccount();
        CompletableFuture<Balance> named = account.ask(new Audit(), Balance.class, NEVER);
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> named.get(WATCHDOG.toSeconds(), TimeUnit.SECONDS));
        assertEquals(AskFailedException.Reason.WRONG_REPLY,
                assertInstanceOf(AskFailedException.class, e.getCause()).reason());
        CompletableFuture<Receipt> right = account.ask(new Audit(), Receipt.class, NEVER);
        assertEquals(new Receipt(0), right.join());
    }

    @Test
    void aRequestThatIsNotOneOfTheMessagesItNamesIsRefused() {
        rt.start();
        AgentRef<Account> account = handlerAccount();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> account.ask(new Impostor(), NEVER));
        assertTrue(e.getMessage().contains(Impostor.class.getName()) && e.getMessage().contains("Account"),
                e.getMessage());
        assertEquals(0, rt.deadLetters().count(), "refused before it was sent");
    }
}
