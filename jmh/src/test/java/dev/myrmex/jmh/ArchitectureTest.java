package dev.myrmex.jmh;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.myrmex.testkit.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** jmh's main classes against the architecture rules (see {@link ArchitectureRules}). */
class ArchitectureTest {
    private static final JavaClasses MAIN = ArchitectureRules.mainClasses();

    @Test
    void usesNoOtherModulesInternals() {
        ArchitectureRules.noOtherModulesInternals("dev.myrmex.jmh",
                // The benchmarks measure these internals on purpose, each against its public peer.
                "dev.myrmex.ipc.internal.ChildLauncher",
                "dev.myrmex.journal.internal.RecordCodec",
                "dev.myrmex.sched.internal.JdkVirtualThreads").check(MAIN);
    }

    @Test
    void hasNoPackageCycles() {
        ArchitectureRules.noPackageCycles("dev.myrmex.jmh").check(MAIN);
    }
}
