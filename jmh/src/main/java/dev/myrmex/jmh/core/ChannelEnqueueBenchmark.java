package dev.myrmex.jmh.core;

import dev.myrmex.core.channel.Channel;
import dev.myrmex.core.channel.ChannelClosedException;
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
 * from it. Against a {@link LinkedBlockingQueue} bounded the same way ({@code put}) and a jox buffered channel of the
 * same capacity ({@code send}, jox 1.0.1), each taken the same way by a virtual thread. Pekko has no
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

    /** {@code MYRMEX}: {@link Channel}; {@code LBQ}: {@link LinkedBlockingQueue}; {@code JOX}: a jox channel. */
    @Param({"MYRMEX", "LBQ", "JOX"})
    public String impl;

    private static final Integer ITEM = 42;

    private Channel<Integer> channel;
    private BlockingQueue<Integer> queue;
    private com.softwaremill.jox.Channel<Integer> jox;
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
        } else if (impl.equals("JOX")) {
            jox = com.softwaremill.jox.Channel.newBufferedChannel(CAPACITY);
            consumer = Thread.ofVirtual().start(() -> {
                try {
                    while (!(jox.receiveOrClosed() instanceof com.softwaremill.jox.ChannelClosed)) {
                        // taken
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        } else if (impl.equals("LBQ")) {
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
        } else {
            throw new IllegalArgumentException("impl must be MYRMEX, LBQ or JOX, not " + impl);
        }
    }

    @Benchmark
    public void send() throws InterruptedException {
        if (channel != null) {
            channel.send(ITEM);
        } else if (jox != null) {
            jox.send(ITEM);
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
        if (jox != null) {
            jox.done();
        }
        consumer.join(Duration.ofSeconds(30));
    }
}
