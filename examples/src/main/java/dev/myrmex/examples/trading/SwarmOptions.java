package dev.myrmex.examples.trading;

import dev.myrmex.examples.BadArgumentsException;
import dev.myrmex.examples.ExampleArgs;

/** The trading swarm's command line: {@link #parse} reads it; the demo gives it its own {@code --seconds}. */
public record SwarmOptions(int seconds, int feeds, int symbols, int analyzers, int checkers, int quotesPerSecond,
        int crashEveryMillis) {
    static final String USAGE = "--seconds N (10), --feeds N (4), --symbols N (200), --analyzers N (16), "
            + "--checkers N (5), --rate QUOTES_PER_SECOND (200000), --crash-every MILLIS (250)";

    /** @throws BadArgumentsException naming an unknown option or a bad value */
    public static SwarmOptions parse(String[] args) {
        int seconds = 10;
        int feeds = 4;
        int symbols = 200;
        int analyzers = 16;
        int checkers = 5;
        int rate = 200_000;
        int crashEvery = 250;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--seconds" -> seconds = ExampleArgs.positive("--seconds", value);
                case "--feeds" -> feeds = ExampleArgs.positive("--feeds", value);
                case "--symbols" -> symbols = ExampleArgs.positive("--symbols", value);
                case "--analyzers" -> analyzers = ExampleArgs.positive("--analyzers", value);
                case "--checkers" -> checkers = ExampleArgs.positive("--checkers", value);
                case "--rate" -> rate = ExampleArgs.positive("--rate", value);
                case "--crash-every" -> crashEvery = ExampleArgs.positive("--crash-every", value);
                default -> throw new BadArgumentsException("unknown option " + args[i] + " (known: " + USAGE + ")");
            }
            i++;
        }
        return new SwarmOptions(seconds, feeds, symbols, analyzers, checkers, rate, crashEvery);
    }
}
