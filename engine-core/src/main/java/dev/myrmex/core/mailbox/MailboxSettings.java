package dev.myrmex.core.mailbox;

import java.time.Duration;
import java.util.Objects;

/**
 * How an agent's mailbox bounds its queue.
 *
 * <ul>
 *   <li>{@code capacity}: the most messages it holds; a send beyond it follows {@code overflow}. At most
 *       {@link #MAX_CAPACITY}, or {@link #UNBOUNDED} ({@link #unbounded()}): no bound, the queue grows in chunks and
 *       never overflows.</li>
 *   <li>{@code highWatermark} / {@code lowWatermark}: a send that brings the queue to the high watermark slows its
 *       sender down until the receiver has drained it to the low one: an agent on a thread of its own, or an outside
 *       thread, is held back (at most {@code blockTimeout}); a non-blocking handler is <em>muted</em> (its turn ends
 *       and it is not scheduled again until the drain; see {@link dev.myrmex.core.Behaviors#nonBlocking}).
 *       Overload turns into backpressure instead of memory growth. Both 0: no watermarks
 *       ({@link #withoutWatermarks()}), senders are slowed down only by a full mailbox.</li>
 *   <li>{@code blockTimeout}: the bound on a waiting sender, so that agents that fill each other's mailboxes slow
 *       down and then fail, rather than wait for each other for ever.</li>
 * </ul>
 *
 * <pre>{@code
 * SpawnOptions.DEFAULTS.withMailbox(MailboxSettings.DEFAULTS.withCapacity(10_000));  // bounded, watermarks 80%/20%
 * SpawnOptions.DEFAULTS.withMailbox(MailboxSettings.unbounded());                   // Pekko's default mailbox
 * }</pre>
 *
 * @param capacity      1 to {@link #MAX_CAPACITY}, or {@link #UNBOUNDED}
 * @param highWatermark between 1 and capacity; or 0 with a low watermark of 0: none
 * @param lowWatermark  between 0 and highWatermark - 1; or 0 with a high watermark of 0
 * @param overflow      what a send to a full mailbox does
 * @param blockTimeout  positive
 */
public record MailboxSettings(int capacity, int highWatermark, int lowWatermark, OverflowPolicy overflow,
                              Duration blockTimeout) {
    /** Capacity 1000, watermarks 800/200, BLOCK for at most 1 s. */
    public static final MailboxSettings DEFAULTS =
            new MailboxSettings(1000, 800, 200, OverflowPolicy.BLOCK, Duration.ofSeconds(1));
    /** The largest bounded capacity: the queue's hard bound is the capacity rounded up to a power of two. */
    public static final int MAX_CAPACITY = 1 << 30;
    /** The capacity of an unbounded mailbox ({@link #unbounded()}): it never fills. */
    public static final int UNBOUNDED = Integer.MAX_VALUE;

    /** @throws IllegalArgumentException naming the value that is out of range */
    public MailboxSettings {
        Objects.requireNonNull(overflow, "overflow");
        Objects.requireNonNull(blockTimeout, "blockTimeout");
        if (capacity < 1 || capacity > MAX_CAPACITY && capacity != UNBOUNDED) {
            throw new IllegalArgumentException("mailbox capacity must be between 1 and " + MAX_CAPACITY
                    + ", or MailboxSettings.UNBOUNDED (see unbounded()): " + capacity);
        }
        boolean none = highWatermark == 0 && lowWatermark == 0;
        if (!none && (highWatermark < 1 || highWatermark > capacity)) {
            throw new IllegalArgumentException("high watermark must be between 1 and the capacity " + capacity
                    + " (or 0, with a low watermark of 0, for none): " + highWatermark);
        }
        if (!none && (lowWatermark < 0 || lowWatermark >= highWatermark)) {
            throw new IllegalArgumentException("low watermark must be between 0 and the high watermark "
                    + highWatermark + " - 1: " + lowWatermark);
        }
        if (blockTimeout.isNegative() || blockTimeout.isZero()) {
            throw new IllegalArgumentException("block timeout must be positive: " + blockTimeout);
        }
    }

    /**
     * A mailbox with no bound and no watermarks, like Pekko's default: sends never wait, never overflow and never
     * slow their sender down; the queue grows in chunks as needed, so memory is the only limit.
     */
    public static MailboxSettings unbounded() {
        return new MailboxSettings(UNBOUNDED, 0, 0, OverflowPolicy.BLOCK, Duration.ofSeconds(1));
    }

    /** Whether this mailbox has no bound ({@link #unbounded()}). */
    public boolean isUnbounded() {
        return capacity == UNBOUNDED;
    }

    /** Whether senders are slowed down at the high watermark (false: only a full mailbox slows them). */
    public boolean hasWatermarks() {
        return highWatermark > 0;
    }

    /** The same with no watermarks: senders are slowed down only by a full mailbox. */
    public MailboxSettings withoutWatermarks() {
        return new MailboxSettings(capacity, 0, 0, overflow, blockTimeout);
    }

    /**
     * The same with another capacity; the watermarks keep their ratios (80% and 20% by default), or stay off.
     *
     * @throws IllegalArgumentException if the capacity is out of range (see the record's parameters)
     */
    public MailboxSettings withCapacity(int newCapacity) {
        if (newCapacity < 1 || newCapacity > MAX_CAPACITY && newCapacity != UNBOUNDED) {
            throw new IllegalArgumentException("mailbox capacity must be between 1 and " + MAX_CAPACITY
                    + ", or MailboxSettings.UNBOUNDED (see unbounded()): " + newCapacity);
        }
        if (!hasWatermarks() || isUnbounded()) {
            return new MailboxSettings(newCapacity, 0, 0, overflow, blockTimeout);
        }
        int high = Math.max(1, (int) ((long) highWatermark * newCapacity / capacity));
        int low = Math.min(high - 1, (int) ((long) lowWatermark * newCapacity / capacity));
        return new MailboxSettings(newCapacity, high, low, overflow, blockTimeout);
    }

    public MailboxSettings withWatermarks(int high, int low) {
        return new MailboxSettings(capacity, high, low, overflow, blockTimeout);
    }

    public MailboxSettings withOverflow(OverflowPolicy policy) {
        return new MailboxSettings(capacity, highWatermark, lowWatermark, policy, blockTimeout);
    }

    public MailboxSettings withBlockTimeout(Duration timeout) {
        return new MailboxSettings(capacity, highWatermark, lowWatermark, overflow, timeout);
    }
}
