package dev.myrmex.ipc.internal;

import dev.myrmex.ipc.ChildProcessException;
import dev.myrmex.ipc.ChildProcessException.Reason;
import dev.myrmex.ipc.FrameDecodeException;
import dev.myrmex.ipc.OutOfProcess;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Why a child ended, from its ENDED frame, its exit status, the state of its channel and its output. The output file
 * is appended to by every incarnation of an agent; only what the ending child wrote ({@link Output}) is read, so an
 * earlier child's death (an OutOfMemoryError, say) never colours a later one's verdict.
 */
final class ChildVerdict {
    private static final int SIGKILL = 9;
    private static final int SIGXCPU = 24;
    private static final int TAIL_BYTES = 4096;

    /** The output of one child: the bytes of {@code file} from offset {@code from} on. */
    record Output(Path file, long from) {
    }

    private ChildVerdict() {
    }

    /**
     * The failure an ended child means for its agent, or null when it ended normally (its behavior returned).
     *
     * @param corruption why its channel counts as corrupt (the child was killed for it), or null
     */
    static ChildProcessException of(String agent, long pid, int status, Frames.Frame ended, boolean noHeartbeat,
                                    FrameDecodeException corruption, OutOfProcess spec, Output log) {
        String who = "out-of-process agent " + agent + " (pid " + pid + ")";
        if (corruption != null) {
            return new ChildProcessException(Reason.CORRUPT_CHANNEL, status, who + " wrote to its channel what is"
                    + " not a frame and was killed: " + corruption.getMessage(), corruption);
        }
        if (noHeartbeat) {
            return new ChildProcessException(Reason.NO_HEARTBEAT, status, who + " sent no heartbeat for "
                    + spec.heartbeatTimeout().toMillis() + " ms and was killed" + tail(log));
        }
        if (ended != null && status == 0 && ended.outcome() == FrameDescriptor.OUTCOME_STOPPED) {
            return null;
        }
        if (status == ChildLauncher.START_FAILED) {
            String why = ended != null ? ended.text() : "see its output";
            return new ChildProcessException(Reason.START_FAILED, status, who + " could not start: " + why + tail(log));
        }
        String output = tail(log);
        if (spec.limits().processes() > 0 && (output.contains("unable to create native thread")
                || (ended != null && ended.text().contains("unable to create native thread")))) {
            return new ChildProcessException(Reason.PROCESS_LIMIT, status, who + " could not create a thread: its"
                    + " limit of " + spec.limits().processes() + " processes and threads was reached" + output);
        }
        if (output.contains("OutOfMemoryError") || (ended != null && ended.text().contains("OutOfMemoryError"))) {
            return new ChildProcessException(Reason.MEMORY_LIMIT, status, who + " ran out of memory ("
                    + spec.limits() + "), exit status " + status + (ended != null ? ": " + firstLine(ended.text()) : "")
                    + output);
        }
        if (ended != null && ended.outcome() == FrameDescriptor.OUTCOME_FAILED
                && ended.text().contains("Too many open files")) {
            return new ChildProcessException(Reason.OPEN_FILES_LIMIT, status, who + " hit its limit of "
                    + spec.limits().openFiles() + " open files: " + firstLine(ended.text()));
        }
        if (ended != null && ended.outcome() == FrameDescriptor.OUTCOME_FAILED) {
            return new ChildProcessException(Reason.BEHAVIOR_FAILED, status, who + " failed: " + ended.text());
        }
        if (status > 128) {
            int signal = status - 128;
            if (signal == SIGXCPU) {
                return new ChildProcessException(Reason.CPU_LIMIT, status, who + " used up its CPU-time limit of "
                        + spec.limits().cpuSeconds() + " s and was ended by SIGXCPU" + output);
            }
            return new ChildProcessException(Reason.KILLED, status, who + " was killed by "
                    + (signal == SIGKILL ? "SIGKILL" : Posix.signalName(signal)) + output);
        }
        return new ChildProcessException(Reason.EXITED, status, who + " exited with status " + status + output);
    }

    /**
     * The failure of a child that left the ring to it corrupt (found when its untaken messages were drained), with
     * the verdict it had otherwise ({@code otherwise}, or null if it ended normally).
     */
    static ChildProcessException corrupt(String agent, long pid, int status, FrameDecodeException corruption,
                                         ChildProcessException otherwise, Output log) {
        return new ChildProcessException(Reason.CORRUPT_CHANNEL, status, "out-of-process agent " + agent + " (pid "
                + pid + ") left its channel corrupt: " + corruption.getMessage()
                + (otherwise != null ? "; it ended so: " + otherwise.getMessage() : tail(log)), corruption);
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }

    /** The last lines of one child's output, as "; last output: ...", or "" if there is none. */
    static String tail(Output log) {
        try (RandomAccessFile f = new RandomAccessFile(log.file().toFile(), "r")) {
            long from = Math.max(Math.min(log.from(), f.length()), f.length() - TAIL_BYTES);
            byte[] bytes = new byte[(int) (f.length() - from)];
            f.seek(from);
            f.readFully(bytes);
            String text = new String(bytes, StandardCharsets.UTF_8).strip();
            if (text.isEmpty()) {
                return "";
            }
            String[] lines = text.split("\n");
            int first = Math.max(0, lines.length - 6);
            return "; last output: " + String.join(" | ", java.util.Arrays.copyOfRange(lines, first, lines.length));
        } catch (IOException e) {
            return "";
        }
    }
}
