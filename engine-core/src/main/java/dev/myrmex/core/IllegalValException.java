package dev.myrmex.core;

/** A class marked {@link Val}, or a value of one, is not deeply immutable; the message names the class and where. */
public final class IllegalValException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final transient Class<?> valClass;
    private final String component;

    public IllegalValException(Class<?> valClass, String component, String problem) {
        super("Val class " + valClass.getName() + (component.isEmpty() ? "" : ", component '" + component + "'")
                + ": " + problem);
        this.valClass = valClass;
        this.component = component;
    }

    /** The class that failed verification. */
    public Class<?> valClass() {
        return valClass;
    }

    /** The path of the offending component ({@code "fills[].price"}), or empty when it is the class itself. */
    public String component() {
        return component;
    }
}
