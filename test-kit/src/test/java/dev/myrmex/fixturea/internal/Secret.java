package dev.myrmex.fixturea.internal;

/** Another module's internal class. */
public final class Secret {
    public static int value() {
        return 42;
    }
}
