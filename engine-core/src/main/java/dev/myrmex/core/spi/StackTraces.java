package dev.myrmex.core.spi;

import java.io.PrintWriter;
import java.io.StringWriter;

/** A throwable's stack trace as text, causes included: for run records and reports that carry it as a string. */
public final class StackTraces {
    private StackTraces() {
    }

    public static String of(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString();
    }
}
