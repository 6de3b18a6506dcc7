package dev.myrmex.fixtureb;

/** A planted violation: uses another module's internal class, fully qualified, with no import to grep. */
public final class ReachesIn {
    public int value() {
        return dev.myrmex.fixturea.internal.Secret.value();
    }
}
