package dev.myrmex.core.internal;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.myrmex.core.AgentRef;
import dev.myrmex.core.Behavior;
import dev.myrmex.core.Behaviors;
import dev.myrmex.core.DeadLetters;
import dev.myrmex.core.Message;
import dev.myrmex.core.Val;
import dev.myrmex.core.mailbox.MailboxSettings;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * jcstress tests of a handler cell's IDLE/SCHEDULED hand-off ({@link HandlerAgentCell}): a turn that runs out of mail
 * and ends (stores IDLE, then looks at the queue again) racing a sender that enqueues and then looks at the status
 * (and, seeing IDLE, takes SCHEDULED and submits a turn). The cell is a real one, outside a runtime: its turns go to an
 * executor that only counts them, and the actor runs the turn in flight itself. Result: (turns submitted during the
 * race, messages left queued). A message queued with no turn submitted is a lost wake-up: the agent would sit idle
 * with mail. The broken twin's sender enqueues without looking at the status (the half of the pair it leaves out).
 * Run by {@code HandlerCellStressTest}.
 */
public final class HandlerCellStress {
    private static final AgentRef<Note> SELF = TestRefs.ref("stressed-handler");
    /** Mail from an agent: a turn whose last message came from outside lingers (re-submits itself): no race. */
    private static final AgentRef<Note> PEER = TestRefs.ref("peer");
    private static final RuntimeCounters COUNTERS = new RuntimeCounters();
    private static final Behavior<Note> IGNORE = Behaviors.nonBlocking((ctx, m) -> { });

    private HandlerCellStress() {
    }

    record Note(int n) implements Val {
    }

    /** A started, idle cell that has just been sent its first message: its first turn is submitted, not yet run. */
    abstract static class TurnInFlight {
        final Mailbox<Note> box = new Mailbox<>(SELF, MailboxSettings.DEFAULTS.withCapacity(8), new DeadLetters(0));
        int submitted; // written by whoever submits a turn: at most one thread at a time holds SCHEDULED
        final HandlerAgentCell<Note> cell;

        @SuppressWarnings("unchecked")
        TurnInFlight() {
            cell = new HandlerAgentCell<>(null, "stressed-handler", box, IGNORE, (HandlerBehavior<Note>) IGNORE,
                    c -> { }, AgentCell.Wiring.plain(COUNTERS), turn -> submitted++, null);
            cell.bind(SELF);
            cell.start();
            box.offerNow(Message.of(new Note(0), PEER, 0L)); // takes SCHEDULED and submits the first turn
            if (submitted != 1) {
                throw new IllegalStateException("the first message must submit one turn: " + submitted);
            }
            submitted = 0;
        }

        void observe(II_Result r) {
            r.r1 = submitted;
            r.r2 = box.size();
        }
    }

    @JCStressTest
    @Description("A turn running out of mail, racing a send: the message is taken, or a turn is submitted for it.")
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "the turn in flight took the message")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "a turn was submitted for it")
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "taken by the turn in flight, and a spare turn submitted")
    @Outcome(id = "0, 1", expect = FORBIDDEN, desc = "lost wake-up: mail queued, no turn coming")
    @State
    public static class HandOff extends TurnInFlight {
        @Actor
        public void turn() {
            cell.run();
        }

        @Actor
        public void sender() {
            box.offerNow(Message.of(new Note(1), PEER, 0L));
        }

        @Arbiter
        public void arbiter(II_Result r) {
            observe(r);
        }
    }

    @JCStressTest
    @Description("Broken twin: the sender enqueues without looking at the status.")
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "the turn in flight took the message")
    @Outcome(id = "0, 1", expect = ACCEPTABLE_INTERESTING, desc = "lost wake-up, as expected of the broken twin")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "the turn's own look after IDLE saw it and submitted a turn")
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "taken by the turn in flight, and a spare turn submitted")
    @State
    public static class SenderWithoutLook extends TurnInFlight {
        @Actor
        public void turn() {
            cell.run();
        }

        @Actor
        public void sender() {
            box.enqueueOrOverflow(Message.of(new Note(1), PEER, 0L), "KEPT_BY_SENDER");
        }

        @Arbiter
        public void arbiter(II_Result r) {
            observe(r);
        }
    }
}
