package dev.myrmex.sched;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.myrmex.testkit.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** engine-sched's main classes against the architecture rules (see {@link ArchitectureRules}). */
class ArchitectureTest {
    private static final JavaClasses MAIN = ArchitectureRules.mainClasses();

    @Test
    void usesNoOtherModulesInternals() {
        ArchitectureRules.noOtherModulesInternals("dev.myrmex.sched").check(MAIN);
    }

    @Test
    void readsTheMachinesClockOnlyThroughCarrierClock() {
        // The scheduler times real carriers, which a hand-moved clock cannot stand for: one class reads the clock.
        ArchitectureRules.noDirectClockReads("dev.myrmex.sched.internal.CarrierClock").check(MAIN);
    }

    @Test
    void drawsNoChanceFromNoSeed() {
        // The scheduler is seeded (its builder's seed, which the runtime gives it from its own); nothing draws
        // unseeded.
        ArchitectureRules.noUnseededChance().check(MAIN);
    }

    @Test
    void carriesNoCommandLine() {
        ArchitectureRules.noCommandLine().check(MAIN);
    }
}
