package dev.myrmex.testkit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs every test class under {@link CarrierParks}, and fails the class if a carrier thread parked in a lock or a
 * wait outside the scheduler while it ran. Registered for every module's tests by the JUnit extension
 * auto-detection that the root pom turns on ({@code META-INF/services}); a class whose carriers park on purpose says
 * so with {@link CarriersMayPark}. Test classes run one at a time in a module's JVM, so one recording at a time.
 */
public final class CarrierParkWatch implements BeforeAllCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(CarrierParkWatch.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        if (exempt(context)) {
            return;
        }
        context.getStore(NS).put(CarrierParks.class, CarrierParks.start());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        CarrierParks watch = context.getStore(NS).remove(CarrierParks.class, CarrierParks.class);
        if (watch == null) {
            return;
        }
        List<CarrierParks.Park> parks = watch.stop();
        if (!parks.isEmpty()) {
            // One example of each place a carrier parked: the first frame outside the JDK tells the place.
            Map<String, CarrierParks.Park> byPlace = new LinkedHashMap<>();
            for (CarrierParks.Park p : parks) {
                byPlace.putIfAbsent(p.place(), p);
            }
            StringBuilder b = new StringBuilder();
            byPlace.values().stream().limit(5).forEach(p -> b.append('\n').append(p));
            throw new AssertionError(parks.size() + " time(s) a carrier thread parked in a lock or a wait while "
                    + context.getDisplayName() + " ran, in " + byPlace.size() + " place(s): " + byPlace.keySet()
                    + "; a carrier must never park outside the scheduler (use the scheduler's SpinLock, or hand the"
                    + " work to a virtual thread):" + b);
        }
    }

    private static boolean exempt(ExtensionContext context) {
        return context.getTestClass().map(c -> c.isAnnotationPresent(CarriersMayPark.class)).orElse(true);
    }
}
