package dev.myrmex.journal.internal;

import java.io.File;

/** How a place in a journal is named in damage reports: a Chronicle index and its cycle file. */
public final class Places {
    private Places() {
    }

    /** "index 0x4f2a000001f3 of 20261202F.cq4" */
    public static String of(long index, File file) {
        return "index 0x" + Long.toHexString(index) + (file == null ? "" : " of " + file.getName());
    }
}
