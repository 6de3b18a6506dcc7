package dev.myrmex.jmh.core;

/**
 * The actor implementations an engine-core benchmark compares in one run (a JMH {@code @Param}):
 * Myrmex agents, Apache Pekko classic actors with default settings, and plain JDK virtual threads with one
 * {@link java.util.concurrent.LinkedBlockingQueue} each.
 */
public enum ActorKind {
    MYRMEX, PEKKO, VT_QUEUE
}
