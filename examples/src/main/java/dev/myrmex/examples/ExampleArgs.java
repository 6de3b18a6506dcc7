package dev.myrmex.examples;

/** Command-line checks the examples share. */
public final class ExampleArgs {
    private ExampleArgs() {
    }

    /**
     * {@code value} as a whole number of at least 1.
     *
     * @throws BadArgumentsException naming {@code what} and the value given, if it is not one
     */
    public static int positive(String what, String value) {
        return atLeast(1, what, value);
    }

    /**
     * {@code value} as a whole number of at least 0.
     *
     * @throws BadArgumentsException naming {@code what} and the value given, if it is not one
     */
    public static int atLeastZero(String what, String value) {
        return atLeast(0, what, value);
    }

    private static int atLeast(int least, String what, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n >= least) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BadArgumentsException(what + " must be a whole number of at least " + least + ", got '" + value
                + "'");
    }
}
