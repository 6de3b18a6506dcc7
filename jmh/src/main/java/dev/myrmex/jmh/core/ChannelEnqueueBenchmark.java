package dev.myrmex.jmh.core;

import dev.myrmex.core.Channel;
import dev.myrmex.core.ChannelClosedException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Channel enqueue: one blocking {@code send} into a bounded channel ({@value #CAPACITY}) while a virtual thread takes
 * from it. Against a {@link LinkedBlockingQueue} bounded the same way, {@code put}, taken the same way. Pekko has no
 * channel (its nearest, a Streams queue source, is a different machine) and is left out here.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class ChannelEnqueueBenchmark {
    static final int CAPACITY = 1024;

    /** {@code MYRMEX}: {@link Channel}; {@code LBQ}: {@link LinkedBlockingQueue}. */
    @Param({"MYRMEX", "LBQ"})
    public String impl;

    private static final Integer ITEM = 42;

    private Channel<Integer> channel;
    private BlockingQueue<Integer> queue;
    private Thread consumer;
    private volatile boolean running = true;

    @Setup(Level.Trial)
    public void setUp() {
        if (impl.equals("MYRMEX")) {
            channel = Channel.bounded(CAPACITY);
            consumer = Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        channel.receive();
                    }
                } catch (ChannelClosedException | InterruptedException e) {
                    // closed at the end of the trial
                }
            });
        } else {
            queue = new LinkedBlockingQueue<>(CAPACITY);
            consumer = Thread.ofVirtual().start(() -> {
                try {
                    while (running || !queue.isEmpty()) {
                        queue.poll(10, TimeUnit.MILLISECONDS);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
    }

    @Benchmark
    public void send() throws InterruptedException {
        if (channel != null) {
            channel.send(ITEM);
        } else {
            queue.put(ITEM);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        running = false;
        if (channel != null) {
            channel.close();
        }
        consumer.join(Duration.ofSeconds(30));
    }
}
