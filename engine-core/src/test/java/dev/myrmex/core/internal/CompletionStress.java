package dev.myrmex.core.internal;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.myrmex.core.AgentRef;
import dev.myrmex.core.Behavior;
import dev.myrmex.core.Behaviors;
import dev.myrmex.core.DeadLetters;
import dev.myrmex.core.Val;
import dev.myrmex.core.mailbox.MailboxSettings;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * jcstress tests of an agent's completion future, made on first use ({@link CellSignals}): the agent's end (stores the
 * terminal state, then reads the completion field and completes what it finds) racing the first caller of
 * {@code completion()} (publishes a fresh future, then reads the state and completes it if the agent has ended).
 * Result: whether the future the caller got is done once both are; 0 is a join that would wait for ever on an agent
 * that has ended. The cell is a real one, outside a runtime. The broken twin's maker publishes its future into the
 * same field and does not look at the state after. Run by {@code CompletionStressTest}.
 */
public final class CompletionStress {
    private static final AgentRef<Note> SELF = TestRefs.ref("ending");
    private static final RuntimeCounters COUNTERS = new RuntimeCounters();
    private static final Behavior<Note> IGNORE = Behaviors.nonBlocking((ctx, m) -> { });
    private static final VarHandle COMPLETION;

    static {
        try {
            COMPLETION = MethodHandles.privateLookupIn(CellSignals.class, MethodHandles.lookup())
                    .findVarHandle(CellSignals.class, "completion", CompletableFuture.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private CompletionStress() {
    }

    record Note(int n) implements Val {
    }

    /** A started agent, about to end, that nobody has asked for its completion yet. */
    abstract static class Ending {
        final HandlerAgentCell<Note> cell;
        CompletableFuture<Object> got;

        @SuppressWarnings("unchecked")
        Ending() {
            Mailbox<Note> box = new Mailbox<>(SELF, MailboxSettings.DEFAULTS.withCapacity(8), new DeadLetters(0));
            cell = new HandlerAgentCell<>(null, "ending", box, IGNORE, (HandlerBehavior<Note>) IGNORE, c -> { },
                    AgentCell.Wiring.plain(COUNTERS), turn -> { }, null);
            cell.bind(SELF);
            cell.start();
        }
    }

    @JCStressTest
    @Description("The agent's end racing the first completion(): the future the caller got completes.")
    @Outcome(id = "1", expect = ACCEPTABLE, desc = "completed, by the end or by the maker")
    @Outcome(id = "0", expect = FORBIDDEN, desc = "never completed: a join would wait for ever")
    @State
    public static class FirstUse extends Ending {
        @Actor
        public void end() {
            cell.end(null);
        }

        @Actor
        public void firstCaller() {
            got = cell.completion();
        }

        @Arbiter
        public void arbiter(I_Result r) {
            r.r1 = got.isDone() ? 1 : 0;
        }
    }

    @JCStressTest
    @Description("Broken twin: the maker publishes its future and does not look at the state.")
    @Outcome(id = "1", expect = ACCEPTABLE, desc = "the end found the future and completed it")
    @Outcome(id = "0", expect = ACCEPTABLE_INTERESTING, desc = "never completed, as expected of the broken twin")
    @State
    public static class MakerWithoutLook extends Ending {
        @Actor
        public void end() {
            cell.end(null);
        }

        @Actor
        @SuppressWarnings("unchecked") // the field holds CompletableFuture<Object> only
        public void firstCaller() {
            CompletableFuture<Object> fresh = new CompletableFuture<>();
            Object found = COMPLETION.compareAndExchange((AgentCell<?>) cell, (CompletableFuture<Object>) null, fresh);
            got = found == null ? fresh : (CompletableFuture<Object>) found;
        }

        @Arbiter
        public void arbiter(I_Result r) {
            r.r1 = got.isDone() ? 1 : 0;
        }
    }
}
