package dev.myrmex.ipc;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.myrmex.testkit.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** engine-ipc's main classes against the architecture rules (see {@link ArchitectureRules}). */
class ArchitectureTest {
    private static final JavaClasses MAIN = ArchitectureRules.mainClasses();

    @Test
    void usesNoOtherModulesInternals() {
        ArchitectureRules.noOtherModulesInternals("dev.myrmex.ipc").check(MAIN);
    }

    @Test
    void readsTimeOnlyThroughTheRuntimeClock() {
        ArchitectureRules.noDirectClockReads().check(MAIN);
    }

    @Test
    void drawsNoChanceFromNoSeed() {
        ArchitectureRules.noUnseededChance().check(MAIN);
    }

    @Test
    void carriesNoCommandLine() {
        ArchitectureRules.noCommandLine().check(MAIN);
    }
}
