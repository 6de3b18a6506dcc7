package dev.myrmex.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Exempts a test class from {@link CarrierParkWatch}: its carriers park on purpose (a test of what the runtime does
 * with a handler that blocks its carrier). Say why.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface CarriersMayPark {
    /** Why this class's carriers park. */
    String value();
}
