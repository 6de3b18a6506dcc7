package dev.myrmex.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.Val;
import dev.myrmex.core.codec.ValueCodec;
import dev.myrmex.core.journal.InMemoryJournal;
import dev.myrmex.core.recovery.RecoveryReport;
import dev.myrmex.core.task.TaskId;
import dev.myrmex.core.task.TaskRequest;
import dev.myrmex.core.task.TaskSettings;
import dev.myrmex.core.task.TaskStatus;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * One value codec SPI: the out-of-process message codec is a {@link ValueCodec}, so the same {@link RecordCodec} that
 * carries messages between processes journals a task's input and brings it back after a restart.
 */
class RecordCodecAsValueCodecTest {
    private static final Duration T = Duration.ofSeconds(30);

    enum Size { SMALL, LARGE }

    record Resize(String image, Size size, List<Integer> widths, Agents.Note note) implements Val {
        Resize {
            widths = List.copyOf(widths);
        }
    }

    private static AgentRuntime runtime(InMemoryJournal journal) {
        AgentRuntime rt = AgentRuntime.builder().workers(2).journal(journal)
                .tasks(TaskSettings.DEFAULTS.withInputCodec(new RecordCodec())).build();
        rt.start();
        return rt;
    }

    @Test
    void aValueGoesToBytesAndBackUnderTheCodecsId() throws Exception {
        ValueCodec<Val> codec = new RecordCodec();
        Resize r = new Resize("cat é.png", Size.LARGE, List.of(64, 128, 1024), new Agents.Note(-7));
        assertEquals(r, codec.decode(codec.encode(r)));
        assertEquals("myrmex-record-v1", codec.id());
        byte[] bytes = codec.encode(r);
        assertThrows(FrameDecodeException.class, () -> codec.decode(java.util.Arrays.copyOf(bytes, bytes.length - 1)));
    }

    @Test
    void aTaskInputEncodedByTheMessageCodecComesBackAfterARestart() throws Exception {
        InMemoryJournal journal = new InMemoryJournal(10_000);
        Resize input = new Resize("cat.png", Size.SMALL, List.of(32, 64), new Agents.Note(3));
        AgentRuntime first = runtime(journal);
        first.tasks().pause();
        TaskId id = first.tasks().submit(TaskRequest.of("resize", input));
        first.stopNow(T);

        AgentRuntime second = runtime(journal);
        RecoveryReport.Tasks report = second.recovery().tasks();
        assertEquals(List.of(id), report.requeued());
        second.tasks().spawnWorker("w", Set.of(), task -> task.input());
        assertEquals(input, second.tasks().await(id, T).result());
        second.stop(T);
    }

    @Test
    void anAgentReferenceIsRefusedOutsideAChannelNamingWhy() throws Exception {
        InMemoryJournal journal = new InMemoryJournal(10_000);
        AgentRuntime first = runtime(journal);
        first.tasks().pause();
        var ref = first.spawn("sink", dev.myrmex.core.Behaviors.<Agents.Note>receive((ctx, m) -> { })).ref();
        Agents.Emit holdsARef = new Agents.Emit(ref, 1);
        CodecException e = assertThrows(CodecException.class, () -> new RecordCodec().encode(holdsARef));
        assertTrue(e.getMessage().contains("only in a channel"), e.getMessage());
        TaskId id = first.tasks().submit(TaskRequest.of("emit", holdsARef)); // runs, but is not journalled
        first.stopNow(T);

        AgentRuntime second = runtime(journal);
        RecoveryReport.NotRequeued lost = second.recovery().tasks().notRequeued().getFirst();
        assertEquals(id, lost.task());
        assertTrue(lost.reason().contains("only in a channel"), lost.reason());
        assertEquals(TaskStatus.FAILED, second.tasks().status(id).orElseThrow().status());
        second.stop(T);
    }
}
