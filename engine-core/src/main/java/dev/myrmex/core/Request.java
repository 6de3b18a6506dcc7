package dev.myrmex.core;

/**
 * A message that asks for a reply of type {@code R}, sent to agents that take messages of type {@code P}. Declaring
 * it types both ends of an ask: {@link AgentRef#ask(Request, java.time.Duration)} returns a future of {@code R} with
 * no type witness, and {@link AgentContext#reply(Request, Sendable)} takes only an {@code R}.
 *
 * <pre>{@code
 * sealed interface Account extends Val permits GetBalance, Deposit {}
 * record GetBalance() implements Account, Request<Account, Balance> {}
 * record Deposit(long amount) implements Account {}
 * record Balance(long amount) implements Val {}
 *
 * // the account agent, a handler
 * switch (m.payload()) {
 *     case GetBalance g -> ctx.reply(g, new Balance(balance));   // ctx.reply(g, "x") does not compile
 *     case Deposit d -> balance += d.amount();
 * }
 *
 * // anyone holding an AgentRef<Account>
 * CompletableFuture<Balance> b = account.ask(new GetBalance(), Duration.ofSeconds(1));
 * }</pre>
 *
 * <p>A request is one of the messages of the agents it asks: its class must implement {@code P} (checked once per
 * class, the first time it is asked; a class that does not is refused with an {@link IllegalArgumentException}). The
 * reply is checked when it arrives: a reply that is not an {@code R} fails the ask
 * ({@link AskFailedException.Reason#WRONG_REPLY}) and is a dead letter ({@link DeadLetter.Reason#WRONG_REPLY}).
 * Like every {@link Val}, a request is deeply immutable.
 *
 * @param <P> the messages of the agents this request is sent to: the {@code M} of their {@code AgentRef<M>}
 * @param <R> the reply it asks for
 */
public interface Request<P extends Sendable, R extends Sendable> extends Val {
}
