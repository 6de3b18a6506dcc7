package dev.myrmex.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The compile-time half of typed asks, proven by compiling sources with javax.tools against this module: a
 * {@link Request}'s ask is a future of its reply with no type witness, and the compiler refuses a reply of another
 * type, a future of another type, and a request of another agent's protocol.
 */
class TypedAskCompileTest {
    /** The protocol every source below shares: an account that answers GetBalance with a Balance. */
    private static final String PROTOCOL = """
            import dev.myrmex.core.*;
            import java.time.Duration;
            import java.util.concurrent.CompletableFuture;
            sealed interface Account extends Val permits GetBalance, Deposit { }
            record GetBalance() implements Account, Request<Account, Balance> { }
            record Deposit(long amount) implements Account { }
            record Balance(long amount) implements Val { }
            record Receipt(long amount) implements Val { }
            record GetPrice() implements Request<GetPrice, Balance> { }
            """;

    @Test
    void aTypedAskAndItsReplyCompileWithoutATypeWitness() {
        JavacProbe.Result r = JavacProbe.compile("Good", PROTOCOL + """
                class Good {
                    Behavior<Account> account = Behaviors.nonBlocking((ctx, m) -> {
                        switch (m.payload()) {
                            case GetBalance g -> ctx.reply(g, new Balance(1));
                            case Deposit d -> { }
                        }
                    });
                    Behavior<Account> later = ctx -> {
                        Message<Account> m = ctx.receive();
                        if (m.payload() instanceof GetBalance g) {
                            AgentRef<Balance> replyTo = m.replyTo(g);
                            replyTo.signal(new Balance(2));
                        }
                    };
                    CompletableFuture<Balance> ask(AgentRef<Account> ref) {
                        return ref.ask(new GetBalance(), Duration.ofSeconds(1));
                    }
                    CompletableFuture<Receipt> named(AgentRef<Account> ref) {
                        return ref.ask(new Deposit(5), Receipt.class, Duration.ofSeconds(1));
                    }
                }
                """);
        assertTrue(r.ok(), r.errors());
    }

    @Test
    void aReplyOfAnotherTypeDoesNotCompile() {
        assertRefused("WrongReply", """
                class WrongReply {
                    Behavior<Account> account = Behaviors.nonBlocking((ctx, m) -> {
                        if (m.payload() instanceof GetBalance g) {
                            ctx.reply(g, new Receipt(1));
                        }
                    });
                }
                """, "a Receipt as the reply to a Request<Account, Balance>", "Receipt");
    }

    @Test
    void aReplyAddressOfAnotherTypeDoesNotCompile() {
        assertRefused("WrongAddress", """
                class WrongAddress {
                    Behavior<Account> account = ctx -> {
                        Message<Account> m = ctx.receive();
                        if (m.payload() instanceof GetBalance g) {
                            AgentRef<Receipt> replyTo = m.replyTo(g);
                        }
                    };
                }
                """, "an AgentRef<Receipt> as the reply address of a Request<Account, Balance>", "incompatible types");
    }

    @Test
    void aFutureOfAnotherTypeDoesNotCompile() {
        assertRefused("WrongFuture", """
                class WrongFuture {
                    CompletableFuture<Receipt> ask(AgentRef<Account> ref) {
                        return ref.ask(new GetBalance(), Duration.ofSeconds(1));
                    }
                }
                """, "a CompletableFuture<Receipt> from a Request<Account, Balance>", "incompatible types");
    }

    @Test
    void aRequestOfAnotherProtocolDoesNotCompile() {
        assertRefused("WrongAgent", """
                class WrongAgent {
                    CompletableFuture<Balance> ask(AgentRef<Account> ref) {
                        return ref.ask(new GetPrice(), Duration.ofSeconds(1));
                    }
                }
                """, "a Request<GetPrice, Balance> sent to an AgentRef<Account>", "GetPrice");
    }

    /** Compiles {@code body} after the protocol: it must be refused, the compiler's message naming {@code what}. */
    private static void assertRefused(String className, String body, String wrong, String what) {
        JavacProbe.Result r = JavacProbe.compile(className, PROTOCOL + body);
        assertFalse(r.ok(), wrong + " compiled");
        assertTrue(r.errors().contains(what), r.errors());
    }
}
