package dev.myrmex.core;

import java.time.Duration;
import java.util.Objects;

/**
 * How an agent's mailbox bounds its queue.
 *
 * <ul>
 *   <li>{@code capacity}: the most messages it holds; a send beyond it follows {@code overflow}.</li>
 *   <li>{@code highWatermark} / {@code lowWatermark}: a send that brings the queue to the high watermark holds its
 *       sender back until the receiver has drained it to the low one (at most {@code blockTimeout}): overload turns
 *       into backpressure instead of memory growth.</li>
 *   <li>{@code blockTimeout}: the bound on both waits, so that agents that fill each other's mailboxes slow down
 *       and then fail, rather than wait for each other for ever.</li>
 * </ul>
 *
 * @param capacity      at least 1
 * @param highWatermark between 1 and capacity
 * @param lowWatermark  between 0 and highWatermark - 1
 * @param overflow      what a send to a full mailbox does
 * @param blockTimeout  positive
 */
public record MailboxSettings(int capacity, int highWatermark, int lowWatermark, OverflowPolicy overflow,
                              Duration blockTimeout) {
    /** Capacity 1000, watermarks 800/200, BLOCK for at most 1 s. */
    public static final MailboxSettings DEFAULTS =
            new MailboxSettings(1000, 800, 200, OverflowPolicy.BLOCK, Duration.ofSeconds(1));

    /** @throws IllegalArgumentException naming the value that is out of range */
    public MailboxSettings {
        Objects.requireNonNull(overflow, "overflow");
        Objects.requireNonNull(blockTimeout, "blockTimeout");
        if (capacity < 1) {
            throw new IllegalArgumentException("mailbox capacity must be at least 1: " + capacity);
        }
        if (highWatermark < 1 || highWatermark > capacity) {
            throw new IllegalArgumentException("high watermark must be between 1 and the capacity " + capacity
                    + ": " + highWatermark);
        }
        if (lowWatermark < 0 || lowWatermark >= highWatermark) {
            throw new IllegalArgumentException("low watermark must be between 0 and the high watermark "
                    + highWatermark + " - 1: " + lowWatermark);
        }
        if (blockTimeout.isNegative() || blockTimeout.isZero()) {
            throw new IllegalArgumentException("block timeout must be positive: " + blockTimeout);
        }
    }

    /** The same with another capacity; the watermarks keep their ratios (80% and 20% by default). */
    public MailboxSettings withCapacity(int newCapacity) {
        if (newCapacity < 1) {
            throw new IllegalArgumentException("mailbox capacity must be at least 1: " + newCapacity);
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
