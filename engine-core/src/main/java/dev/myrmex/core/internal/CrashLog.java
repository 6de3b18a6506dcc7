package dev.myrmex.core.internal;

import dev.myrmex.core.time.RuntimeClock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes agents' failures visible by default, without letting a crash loop flood the log. Through SLF4J, logger
 * {@value #LOGGER}:
 * <ul>
 *   <li>an agent's first failure is a WARN line with the cause and its stack trace, supervised or not;</li>
 *   <li>its failures within {@link #WINDOW} of its last WARN line are counted (each a DEBUG line, without the trace),
 *       and summed up in one WARN line, "agent X failed 37 more times in the last 10 s; the latest: ...", with the
 *       latest cause's trace: written by its first failure once the window has passed, or by its end, whichever
 *       comes first;</li>
 *   <li>a failure after a quiet window (nothing left to sum up) is logged in full again, like a first one.</li>
 * </ul>
 * Time is the runtime's clock, so a test can drive the window. A failure caused by a stop or a halt for a sibling's
 * restart is not a failure here, as it is not anywhere else.
 *
 * <h2>Concurrency</h2>
 * Any thread calls in, for any agent. The record of one agent is only touched from that agent's failing or ending
 * side, and those follow each other with a happens-before edge (an incarnation ends before its supervisor restarts
 * the next, under the tree lock or by a thread start; the end comes after the last incarnation): so a record's fields
 * are plain, and the map only publishes new records. Logging happens outside any lock of ours.
 */
public final class CrashLog {
    /** The logger every agent failure goes to. */
    public static final String LOGGER = "dev.myrmex.core.AgentFailures";
    /**
     * After a WARN line for an agent, its failures for this long are counted, not each logged. Ten seconds is the
     * default restart window ({@link dev.myrmex.core.supervision.Supervision#DEFAULT_WINDOW}): a restart loop costs
     * one line per window however fast it spins, and a person watching sees the count within seconds. A choice, not a
     * measurement.
     */
    public static final Duration WINDOW = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    private final RuntimeClock clock;
    private final ConcurrentHashMap<AgentCell<?>, Failures> byAgent = new ConcurrentHashMap<>();

    /** One agent's failures since its last WARN line. Fields: see the class comment. */
    private static final class Failures {
        long lastLineAt;
        int unreported;
        Throwable latest;
    }

    public CrashLog(RuntimeClock clock) {
        this.clock = clock;
    }

    /**
     * {@code cell}'s incarnation failed with {@code cause}; {@code supervised} says whether a supervisor decides next.
     */
    void failed(AgentCell<?> cell, Throwable cause, boolean supervised) {
        long now = clock.nanoTime();
        Failures f = byAgent.get(cell);
        if (f == null) {
            f = new Failures();
            byAgent.put(cell, f);
        } else if (now - f.lastLineAt < WINDOW.toNanos()) {
            f.unreported++;
            f.latest = cause;
            LOG.debug("agent {} failed again: {}", cell.name, cause.toString());
            return;
        } else if (f.unreported > 0) {
            int n = f.unreported + 1;
            long seconds = Duration.ofNanos(now - f.lastLineAt).toSeconds();
            f.unreported = 0;
            f.latest = null;
            f.lastLineAt = now;
            LOG.warn("agent {} failed {} more times in the last {} s; the latest: {}", cell.name, n, seconds,
                    cause.toString(), cause);
            return;
        }
        f.lastLineAt = now;
        LOG.warn(supervised ? "agent {} failed; its supervisor decides what follows: {}"
                : "agent {} failed and ended (it is not supervised): {}", cell.name, cause.toString(), cause);
    }

    /** {@code cell} has ended: what is left to sum up of its failures is logged now. */
    void ended(AgentCell<?> cell) {
        if (byAgent.isEmpty()) {
            return; // no agent has failed: every end pays this one look, no more
        }
        Failures f = byAgent.remove(cell);
        if (f != null && f.unreported > 0) {
            long seconds = Duration.ofNanos(clock.nanoTime() - f.lastLineAt).toSeconds();
            LOG.warn("agent {} failed {} more times in the last {} s before it ended; the latest: {}", cell.name,
                    f.unreported, seconds, f.latest.toString(), f.latest);
        }
    }
}
