package dev.myrmex.examples;

/**
 * An example's command line is wrong: an unknown option, a missing or malformed value. The examples' launcher
 * ({@code dev.myrmex.examples.launcher.Examples}) answers it with one line naming the problem and exit code 2, as every
 * Myrmex command does for bad arguments.
 */
public final class BadArgumentsException extends IllegalArgumentException {
    public BadArgumentsException(String message) {
        super(message);
    }
}
