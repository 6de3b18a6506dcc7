package dev.myrmex.testkit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Each rule fails on a violation planted in the fixtures, and passes where the violation is allowed or absent. */
class ArchitectureRulesTest {
    private static final JavaClasses CLOCK = new ClassFileImporter()
            .importPackages("dev.myrmex.testkit.fixture.clock");
    private static final JavaClasses MODULES = new ClassFileImporter()
            .importPackages("dev.myrmex.fixturea", "dev.myrmex.fixtureb");
    private static final JavaClasses CYCLE = new ClassFileImporter()
            .importPackages("dev.myrmex.testkit.fixture.cycle");

    @Test
    void aDirectClockReadOutsideTheClockFailsAndNamesTheCall() {
        AssertionError e = assertThrows(AssertionError.class, () -> ArchitectureRules
                .noDirectClockReads("dev.myrmex.testkit.fixture.clock.TheClock").check(CLOCK));
        assertTrue(e.getMessage().contains("ReadsNanoTime.now()") && e.getMessage().contains("System.nanoTime()"),
                e.getMessage());
        assertTrue(e.getMessage().contains("ReferencesInstantNow"), "a method reference counts too: " + e.getMessage());
        assertTrue(!e.getMessage().contains("TheClock"), "the clock itself and its nested classes are allowed");
    }

    @Test
    void clockReadsInAllowedClassesPass() {
        assertDoesNotThrow(() -> ArchitectureRules.noDirectClockReads(
                "dev.myrmex.testkit.fixture.clock.TheClock", "dev.myrmex.testkit.fixture.clock.ReadsNanoTime",
                "dev.myrmex.testkit.fixture.clock.ReferencesInstantNow").check(CLOCK));
    }

    @Test
    void usingAnotherModulesInternalsFailsButAModulesOwnInternalsAndTheAllowListPass() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> ArchitectureRules.noOtherModulesInternals("dev.myrmex.fixtureb").check(MODULES));
        assertTrue(e.getMessage().contains("dev.myrmex.fixturea.internal.Secret"), e.getMessage());
        assertDoesNotThrow(() -> ArchitectureRules.noOtherModulesInternals("dev.myrmex.fixturea").check(MODULES));
        assertDoesNotThrow(() -> ArchitectureRules.noOtherModulesInternals("dev.myrmex.fixtureb",
                "dev.myrmex.fixturea.internal.Secret").check(MODULES));
    }

    @Test
    void aPackageCycleFailsAndAnAcyclicSetPasses() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> ArchitectureRules.noPackageCycles("dev.myrmex.testkit.fixture.cycle").check(CYCLE));
        assertTrue(e.getMessage().contains("cycle"), e.getMessage());
        assertDoesNotThrow(() -> ArchitectureRules.noPackageCycles("dev.myrmex.testkit.fixture.clock").check(CLOCK));
    }

    @Test
    void packageCyclesNamesEachTangleAndNothingWhenThereIsNone() {
        assertEquals(List.of(new TreeSet<>(Set.of("dev.myrmex.testkit.fixture.cycle.a",
                "dev.myrmex.testkit.fixture.cycle.b"))), ArchitectureRules.packageCycles(CYCLE,
                "dev.myrmex.testkit.fixture.cycle"));
        assertEquals(List.of(), ArchitectureRules.packageCycles(MODULES, "dev.myrmex"),
                "fixtureb uses fixturea, and not the other way round");
    }

    @Test
    void chanceFromNoSeedFailsAndASeededGeneratorPasses() {
        JavaClasses chance = new ClassFileImporter().importPackages("dev.myrmex.testkit.fixture.chance");
        AssertionError e = assertThrows(AssertionError.class, () -> ArchitectureRules.noUnseededChance().check(chance));
        assertTrue(e.getMessage().contains("ThreadLocalRandom.current()"), e.getMessage());
        assertTrue(e.getMessage().contains("Random.<init>()"), e.getMessage());
        assertTrue(!e.getMessage().contains("SplittableRandom.<init>(long)"), "a seeded generator is allowed");
        assertDoesNotThrow(() -> ArchitectureRules.noUnseededChance("dev.myrmex.testkit.fixture.chance.Chance")
                .check(chance));
    }

    @Test
    void aCommandLineInALibraryFailsAndNamesTheClass() {
        JavaClasses cli = new ClassFileImporter().importPackages("dev.myrmex.testkit.fixture.cli");
        AssertionError e = assertThrows(AssertionError.class, () -> ArchitectureRules.noCommandLine().check(cli));
        assertTrue(e.getMessage().contains("ParsesArguments") && e.getMessage().contains("picocli.CommandLine"),
                e.getMessage());
        assertDoesNotThrow(() -> ArchitectureRules.noCommandLine().check(CLOCK));
    }
}
