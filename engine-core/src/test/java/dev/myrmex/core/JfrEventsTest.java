package dev.myrmex.core;

import static dev.myrmex.testkit.Await.WATCHDOG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.core.mailbox.MailboxSettings;
import dev.myrmex.core.mailbox.OverflowPolicy;
import dev.myrmex.testkit.Await;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Predicate;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;

/**
 * The runtime's JFR events reach a live recording, with their fields, read through event streaming. The agents that
 * end here are direct-style: on JDK 25.0.3, JFR drops events committed by plain tasks on a carrier thread once virtual
 * threads have run on it (reproduced outside the runtime's code paths), which would lose a non-blocking handler's end
 * event at random; see the events package.
 */
class JfrEventsTest {
    record Note(int n) implements Val {
    }

    @Test
    void spawnEndOverflowAndDeadLettersAreRecorded() throws Exception {
        List<RecordedEvent> events = new CopyOnWriteArrayList<>();
        try (RecordingStream stream = new RecordingStream()) {
            for (String e : List.of("dev.myrmex.AgentSpawn", "dev.myrmex.AgentEnd", "dev.myrmex.MailboxOverflow",
                    "dev.myrmex.DeadLetter")) {
                stream.enable(e).withoutThreshold();
                stream.onEvent(e, events::add);
            }
            stream.startAsync();
            try (AgentRuntime rt = AgentRuntime.builder().workers(2).build()) {
                rt.start();
                CountDownLatch release = new CountDownLatch(1);
                MailboxSettings one = MailboxSettings.DEFAULTS.withCapacity(1).withoutWatermarks()
                        .withOverflow(OverflowPolicy.DROP); // no watermark: this thread is not held back at 1
                AgentHandle<Note> stuck = rt.spawn("stuck", ctx -> release.await(),
                        SpawnOptions.DEFAULTS.withMailbox(one));
                stuck.ref().signal(new Note(1));
                assertFalse(stuck.ref().signal(new Note(2)), "full under DROP: a dead letter");
                release.countDown();
                stuck.join(WATCHDOG); // ends with one message unread: a second dead letter

                AgentHandle<Note> faulty = rt.spawn("faulty", ctx -> {
                    throw new IllegalArgumentException("bad note " + ctx.receive().payload().n());
                });
                rt.spawn("handler", Behaviors.nonBlocking((ctx, m) -> { })); // its spawn event comes from here
                faulty.ref().signal(new Note(7));
                assertThrows(AgentFailedException.class, () -> faulty.join(WATCHDOG));
                awaitEvents(events, e -> named(e, "dev.myrmex.AgentEnd") && e.getString("agent").equals("faulty"));
                awaitEvents(events, e -> named(e, "dev.myrmex.AgentSpawn") && e.getString("agent").equals("handler"));
            }
        }
        List<RecordedEvent> spawns = only(events, "dev.myrmex.AgentSpawn");
        assertEquals(List.of("stuck", "faulty", "handler"), spawns.stream().map(e -> e.getString("agent")).toList());
        assertEquals(List.of("DIRECT", "DIRECT", "HANDLER"), spawns.stream().map(e -> e.getString("style")).toList());

        RecordedEvent overflow = only(events, "dev.myrmex.MailboxOverflow").getFirst();
        assertTrue(overflow.getString("recipient").contains("stuck"), overflow.toString());
        assertEquals("DROPPED", overflow.getString("outcome"));
        assertEquals(1, overflow.getInt("capacity"));

        List<RecordedEvent> dead = only(events, "dev.myrmex.DeadLetter");
        assertEquals(List.of("MAILBOX_FULL", "RECIPIENT_STOPPED"),
                dead.stream().map(e -> e.getString("reason")).toList().subList(0, 2));
        assertEquals(Note.class.getName(), dead.getFirst().getClass("payloadType").getName());

        List<RecordedEvent> ends = only(events, "dev.myrmex.AgentEnd");
        RecordedEvent stuckEnd = ends.stream().filter(e -> e.getString("agent").equals("stuck")).findFirst()
                .orElseThrow();
        assertEquals("STOPPED", stuckEnd.getString("state"));
        assertEquals(1, stuckEnd.getLong("deadLettered"));
        RecordedEvent faultyEnd = ends.stream().filter(e -> e.getString("agent").equals("faulty")).findFirst()
                .orElseThrow();
        assertEquals("FAILED", faultyEnd.getString("state"));
        assertTrue(faultyEnd.getString("failure").contains("bad note 7"), faultyEnd.getString("failure"));
    }

    /** Waits for the stream to deliver an event (it flushes about once a second), with a watchdog. */
    private static void awaitEvents(List<RecordedEvent> events, Predicate<RecordedEvent> wanted) {
        Await.until(() -> events.stream().anyMatch(wanted), () -> "the event never arrived; got " + events.size()
                + " events");
    }

    private static boolean named(RecordedEvent e, String name) {
        return e.getEventType().getName().equals(name);
    }

    private static List<RecordedEvent> only(List<RecordedEvent> events, String name) {
        return events.stream().filter(e -> named(e, name))
                .sorted(java.util.Comparator.comparing(RecordedEvent::getStartTime)).toList();
    }
}
