package dev.myrmex.cli;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.myrmex.testkit.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** engine-cli's main classes against the architecture rules (see {@link ArchitectureRules}). */
class ArchitectureTest {
    private static final JavaClasses MAIN = ArchitectureRules.mainClasses();

    @Test
    void usesNoOtherModulesInternals() {
        ArchitectureRules.noOtherModulesInternals("dev.myrmex.cli").check(MAIN);
    }

    @Test
    void readsTimeOnlyThroughTheRuntimeClock() {
        ArchitectureRules.noDirectClockReads().check(MAIN);
    }

    @Test
    void hasNoPackageCycles() {
        ArchitectureRules.noPackageCycles("dev.myrmex.cli").check(MAIN);
    }

    @Test
    void drawsNoChanceFromNoSeed() {
        ArchitectureRules.noUnseededChance().check(MAIN);
    }
}
