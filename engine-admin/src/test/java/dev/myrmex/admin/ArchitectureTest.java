package dev.myrmex.admin;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.myrmex.testkit.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** engine-admin's main classes against the architecture rules (see {@link ArchitectureRules}). */
class ArchitectureTest {
    private static final JavaClasses MAIN = ArchitectureRules.mainClasses();

    @Test
    void usesNoOtherModulesInternals() {
        ArchitectureRules.noOtherModulesInternals("dev.myrmex.admin").check(MAIN);
    }

    @Test
    void readsTimeOnlyThroughTheRuntimeClock() {
        ArchitectureRules.noDirectClockReads().check(MAIN);
    }

    @Test
    void hasNoPackageCycles() {
        ArchitectureRules.noPackageCycles("dev.myrmex.admin").check(MAIN);
    }

    @Test
    void drawsNoChanceFromNoSeed() {
        // The API's access token must be unguessable: it comes from the OS's entropy (SecureRandom), never a seed.
        ArchitectureRules.noUnseededChance("dev.myrmex.admin.AdminServer").check(MAIN);
    }

    @Test
    void carriesNoCommandLine() {
        ArchitectureRules.noCommandLine().check(MAIN);
    }
}
