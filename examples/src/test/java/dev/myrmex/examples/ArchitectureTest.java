package dev.myrmex.examples;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.myrmex.testkit.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** examples's main classes against the architecture rules (see {@link ArchitectureRules}). */
class ArchitectureTest {
    private static final JavaClasses MAIN = ArchitectureRules.mainClasses();

    @Test
    void usesNoOtherModulesInternals() {
        ArchitectureRules.noOtherModulesInternals("dev.myrmex.examples").check(MAIN);
    }

    @Test
    void hasNoPackageCycles() {
        ArchitectureRules.noPackageCycles("dev.myrmex.examples").check(MAIN);
    }
}
