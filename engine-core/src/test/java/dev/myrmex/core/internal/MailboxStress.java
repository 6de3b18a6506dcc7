package dev.myrmex.core.internal;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.myrmex.core.AgentRef;
import dev.myrmex.core.DeadLetter;
import dev.myrmex.core.DeadLetters;
import dev.myrmex.core.Message;
import dev.myrmex.core.Val;
import dev.myrmex.core.mailbox.MailboxSettings;
import dev.myrmex.core.spi.Endpoint;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * jcstress tests of the {@link Mailbox}'s two orderings, each with a broken twin that must show the failure it
 * guards against. Run by {@code MailboxStressTest}.
 *
 * <ul>
 *   <li><b>Ran empty</b>: a sender that finds the mailbox at its high watermark mutes itself (adds itself, raises
 *       the pressure flag, fences, looks at the size), racing the receiver that drains to the low watermark and runs
 *       empty ({@link Mailbox#ranEmpty}: fenced, a last look at the flag). Result: times the sender was told to go
 *       on; 0 is a muted sender left waiting on an empty mailbox. The twin takes its last look without the fence:
 *       each side's store may still sit in its core's store buffer while it reads the other's, and both miss.</li>
 *   <li><b>Close</b>: a send racing the mailbox's close. Result: (dead letters, messages left queued); a message left
 *       in a closed mailbox is stranded, nobody will ever take it. The real send looks at the close after its
 *       enqueue and asks for a drain; the twin enqueues and stops there.</li>
 * </ul>
 */
public final class MailboxStress {
    private static final AgentRef<Note> OWNER = TestRefs.ref("stressed");
    /** High watermark 2, low 1: two queued messages put a sender at the watermark; one poll drains to release. */
    private static final MailboxSettings WATERMARKED = MailboxSettings.DEFAULTS.withCapacity(8).withWatermarks(2, 1);

    private MailboxStress() {
    }

    record Note(int n) implements Val {
    }

    private static Message<Note> note(int n) {
        return Message.of(new Note(n), null, 0L);
    }

    /** A mailbox at its high watermark and a sender about to mute itself on it. */
    abstract static class AtWatermark implements Endpoint.MutedSender {
        final Mailbox<Note> box = new Mailbox<>(OWNER, WATERMARKED, new DeadLetters(0));
        volatile int told;

        AtWatermark() {
            box.offerNow(note(1));
            box.offerNow(note(2));
        }

        @Override
        public void unmuted() {
            told++; // at most one thread tells it: each entry is taken once
        }

        void drain() {
            box.poll();
            box.poll();
        }
    }

    @JCStressTest
    @Description("A sender muting itself at the high watermark, racing the receiver that drains and runs empty.")
    @Outcome(id = "1", expect = ACCEPTABLE, desc = "the muted sender was told to go on, once")
    @Outcome(id = "0", expect = FORBIDDEN, desc = "lost: the sender stays muted on an empty mailbox")
    @Outcome(id = "2", expect = FORBIDDEN, desc = "told twice")
    @State
    public static class RanEmpty extends AtWatermark {
        @Actor
        public void sender() {
            box.mute(this);
        }

        @Actor
        public void receiver() {
            drain();
            box.ranEmpty();
        }

        @Arbiter
        public void arbiter(I_Result r) {
            r.r1 = told;
        }
    }

    @JCStressTest
    @Description("Broken twin: the receiver's last look after running empty is not fenced.")
    @Outcome(id = "1", expect = ACCEPTABLE, desc = "the muted sender was told to go on")
    @Outcome(id = "0", expect = ACCEPTABLE_INTERESTING, desc = "lost, as expected of the broken twin")
    @Outcome(id = "2", expect = FORBIDDEN, desc = "told twice")
    @State
    public static class RanEmptyUnfenced extends AtWatermark {
        @Actor
        public void sender() {
            box.mute(this);
        }

        @Actor
        public void receiver() {
            drain();
            box.releaseSenders(false);
        }

        @Arbiter
        public void arbiter(I_Result r) {
            r.r1 = told;
        }
    }

    /** An empty mailbox about to be closed, and a message on its way in. */
    abstract static class Closing {
        final DeadLetters deadLetters = new DeadLetters(0);
        final Mailbox<Note> box = new Mailbox<>(OWNER, MailboxSettings.DEFAULTS.withCapacity(8), deadLetters);

        void observe(II_Result r) {
            r.r1 = (int) deadLetters.count(DeadLetter.Reason.RECIPIENT_STOPPED);
            r.r2 = box.size();
        }
    }

    @JCStressTest
    @Description("A send racing the close: the message becomes a dead letter, whichever comes first.")
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "a dead letter (refused, or drained by one of the two)")
    @Outcome(id = "0, 1", expect = FORBIDDEN, desc = "stranded in the closed mailbox")
    @Outcome(id = "0, 0", expect = FORBIDDEN, desc = "vanished")
    @State
    public static class Close extends Closing {
        @Actor
        public void sender() {
            box.offerNow(note(1));
        }

        @Actor
        public void closer() {
            box.close();
        }

        @Arbiter
        public void arbiter(II_Result r) {
            observe(r);
        }
    }

    @JCStressTest
    @Description("Broken twin: the send does not look at the close after its enqueue.")
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "a dead letter")
    @Outcome(id = "0, 1", expect = ACCEPTABLE_INTERESTING, desc = "stranded, as expected of the broken twin")
    @Outcome(id = "0, 0", expect = FORBIDDEN, desc = "vanished")
    @State
    public static class CloseWithoutSendersLook extends Closing {
        @Actor
        public void sender() {
            box.enqueueOrOverflow(note(1), "KEPT_BY_SENDER");
        }

        @Actor
        public void closer() {
            box.close();
        }

        @Arbiter
        public void arbiter(II_Result r) {
            observe(r);
        }
    }
}
