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

    /**
     * {@code value}, which {@code option} needs.
     *
     * @throws BadArgumentsException if there is none
     */
    public static String required(String option, String value) {
        if (value == null || value.isBlank()) {
            throw new BadArgumentsException(option + " needs a value");
        }
        return value;
    }

    /**
     * {@code value} as a TCP port, 0 (any free one) to 65535.
     *
     * @throws BadArgumentsException naming {@code option} and the value given, if it is not one
     */
    public static int port(String option, String value) {
        int port = atLeast(0, option, value);
        if (port > 65_535) {
            throw new BadArgumentsException(option + " needs a port from 0 to 65535, not '" + value + "'");
        }
        return port;
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
