package dev.myrmex.testkit;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.AccessTarget;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The rules every Myrmex module checks its own main classes against, in a test of its own ({@code ArchitectureTest}):
 *
 * <pre>{@code
 * @Test
 * void usesNoOtherModulesInternals() {
 *     ArchitectureRules.noOtherModulesInternals("dev.myrmex.ipc").check(ArchitectureRules.mainClasses());
 * }
 * }</pre>
 *
 * The rules read bytecode (ArchUnit), so they see what the compiler produced, method references and all, and a
 * fully qualified name in the source does not slip past them as it would past a grep of the imports.
 */
public final class ArchitectureRules {
    /** Another module's internal package: {@code dev.myrmex.<module>.internal} and everything below it. */
    private static final Pattern INTERNAL = Pattern.compile("dev\\.myrmex\\.([a-z]+)\\.internal(\\..*)?");

    /** The reads of the machine's clocks that a runtime must not make except through its {@code RuntimeClock}. */
    private static final Set<String> CLOCK_READS = Set.of(
            "java.lang.System.nanoTime", "java.lang.System.currentTimeMillis", "java.time.Instant.now",
            "java.time.InstantSource.system", "java.time.Clock.systemUTC", "java.time.Clock.systemDefaultZone",
            "java.time.Clock.system", "java.time.LocalDateTime.now", "java.time.LocalDate.now",
            "java.time.LocalTime.now", "java.time.ZonedDateTime.now", "java.time.OffsetDateTime.now");

    /** Draws of chance from no seed: the JDK's own sources. */
    private static final Set<String> UNSEEDED_CALLS = Set.of(
            "java.util.concurrent.ThreadLocalRandom.current", "java.lang.Math.random", "java.lang.StrictMath.random",
            "java.util.random.RandomGenerator.getDefault", "java.util.random.RandomGenerator.of",
            "java.util.UUID.randomUUID");
    /** Generators whose constructor without arguments seeds itself from the machine. */
    private static final Set<String> SELF_SEEDING = Set.of(
            "java.util.Random", "java.util.SplittableRandom", "java.security.SecureRandom");

    private ArchitectureRules() {
    }

    /**
     * The main classes of the module whose tests run now ({@code target/classes} under the working directory, which
     * surefire sets to the module): not its tests, not its dependencies.
     *
     * @throws IllegalStateException if there is no such directory (the tests do not run from a module)
     */
    public static JavaClasses mainClasses() {
        Path classes = Path.of("target", "classes");
        if (!Files.isDirectory(classes)) {
            throw new IllegalStateException("no " + classes.toAbsolutePath() + ": run the architecture tests from "
                    + "a module's directory, after it is compiled");
        }
        return new ClassFileImporter().importPath(classes);
    }

    /**
     * No class under {@code ownRoot} (a module's root package, such as {@code dev.myrmex.ipc}) uses a class in
     * another module's {@code internal} packages, except the classes named in {@code allowed} (for the benchmarks,
     * which measure internals on purpose; each entry is a fully qualified class name).
     */
    public static ArchRule noOtherModulesInternals(String ownRoot, String... allowed) {
        Set<String> allowList = Set.of(allowed);
        DescribedPredicate<JavaClass> foreignInternal = DescribedPredicate.describe(
                "are in another module's internal packages", c -> {
                    var m = INTERNAL.matcher(c.getPackageName());
                    return m.matches() && !ownRoot.equals("dev.myrmex." + m.group(1))
                            && !allowList.contains(c.getName());
                });
        return noClasses().that().resideInAPackage(ownRoot + "..")
                .should().dependOnClassesThat(foreignInternal)
                .because("a module uses another only through its public and SPI packages");
    }

    /**
     * No class reads the machine's clocks ({@code System.nanoTime}, {@code currentTimeMillis}, the {@code now()}
     * methods of {@code java.time}) except the classes named in {@code allowed}: the clock itself, and code that
     * measures the real machine on purpose. Calls and method references both count.
     */
    public static ArchRule noDirectClockReads(String... allowed) {
        Set<String> allowList = Set.of(allowed);
        DescribedPredicate<JavaAccess<?>> clockRead = DescribedPredicate.describe("read the machine's clock",
                a -> CLOCK_READS.contains(a.getTargetOwner().getName() + "." + a.getName()));
        DescribedPredicate<JavaClass> checked = DescribedPredicate.describe("are not allowed to read it",
                c -> !allowList.contains(c.getName()) && !allowList.contains(outermost(c).getName()));
        return noClasses().that(checked).should().accessTargetWhere(clockRead).allowEmptyShould(true)
                .because("time is injectable: every time read goes through the runtime's RuntimeClock, so that a "
                        + "manual clock (tests, simulation) controls all of it");
    }

    /**
     * No class draws chance from no seed ({@code ThreadLocalRandom}, {@code Math.random}, {@code new Random()} and the
     * like) except the classes named in {@code allowed}: the one source that splits the runtime's seed. A generator
     * built from a given seed ({@code new SplittableRandom(seed)}) passes: its seed came from somewhere that passed.
     */
    public static ArchRule noUnseededChance(String... allowed) {
        Set<String> allowList = Set.of(allowed);
        DescribedPredicate<JavaAccess<?>> unseeded = DescribedPredicate.describe("draw chance from no seed", a -> {
            String owner = a.getTargetOwner().getName();
            if (a.getName().equals("<init>")) {
                return SELF_SEEDING.contains(owner) && a.getTarget() instanceof AccessTarget.CodeUnitAccessTarget t
                        && t.getRawParameterTypes().isEmpty();
            }
            return UNSEEDED_CALLS.contains(owner + "." + a.getName());
        });
        DescribedPredicate<JavaClass> checked = DescribedPredicate.describe("are not the seed's source",
                c -> !allowList.contains(c.getName()) && !allowList.contains(outermost(c).getName()));
        return noClasses().that(checked).should().accessTargetWhere(unseeded).allowEmptyShould(true)
                .because("one seed: all of a runtime's chance comes from its randomSeed, so that a run can be "
                        + "replayed");
    }

    /**
     * No class uses a command-line parser (picocli): the command-line tools live in engine-cli, behind one launcher,
     * and a library module carries none.
     */
    public static ArchRule noCommandLine() {
        return noClasses().should().dependOnClassesThat().resideInAPackage("picocli..")
                .because("the command-line tools live in engine-cli (dev.myrmex.cli), behind one launcher");
    }

    /** No cycle between the packages under {@code root}: each package is a slice of its own. */
    public static ArchRule noPackageCycles(String root) {
        SliceAssignment byPackage = new SliceAssignment() {
            @Override
            public SliceIdentifier getIdentifierOf(JavaClass c) {
                String p = c.getPackageName();
                return p.equals(root) || p.startsWith(root + ".") ? SliceIdentifier.of(p) : SliceIdentifier.ignore();
            }

            @Override
            public String getDescription() {
                return "the packages under " + root;
            }
        };
        return slices().assignedFrom(byPackage).should().beFreeOfCycles()
                .because("packages show the architecture: a cycle makes two packages one");
    }

    /**
     * The packages under {@code root} that take part in a cycle, as the strongly connected components of the package
     * dependency graph that hold more than one package (each sorted by name; the list sorted by its first). Empty
     * when the packages form no cycle. For a module that is not free of cycles yet, a test can pin what is tangled
     * today, so that no package joins the tangle and each one that leaves it is noticed.
     */
    public static List<SortedSet<String>> packageCycles(JavaClasses classes, String root) {
        Map<String, Set<String>> uses = new TreeMap<>();
        for (JavaClass c : classes) {
            String from = c.getPackageName();
            if (!under(from, root)) {
                continue;
            }
            Set<String> targets = uses.computeIfAbsent(from, k -> new TreeSet<>());
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                String to = d.getTargetClass().getPackageName();
                if (under(to, root) && !to.equals(from)) {
                    targets.add(to);
                }
            }
        }
        return new StronglyConnected(uses).components();
    }

    private static boolean under(String pkg, String root) {
        return pkg.equals(root) || pkg.startsWith(root + ".");
    }

    private static JavaClass outermost(JavaClass c) {
        JavaClass outer = c;
        while (outer.getEnclosingClass().isPresent()) {
            outer = outer.getEnclosingClass().get();
        }
        return outer;
    }
}
