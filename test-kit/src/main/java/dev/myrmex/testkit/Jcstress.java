package dev.myrmex.testkit;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the jcstress tests nested in one class from a JUnit test, and tallies what they saw, so that a test can check
 * both halves of an ordering claim: the real code never shows the forbidden outcome, and its broken twin does (the
 * harness can see the bug it guards against).
 *
 * <p>jcstress forks its own JVMs; this starts it in a child JVM with the calling JVM's class path and module flags (one
 * place for those: the root pom), in quick mode, and writes its output to {@code target/jcstress/<holder>.txt}.
 *
 * <pre>{@code
 * Map<String, Jcstress.Tally> seen = Jcstress.run(MailboxStress.class);
 * Jcstress.Tally real = Jcstress.tallyOf(seen, "RanEmpty");
 * assertEquals(0, real.samples("false"));
 * }</pre>
 */
public final class Jcstress {
    private static final Pattern TEST_HEADER = Pattern.compile("\\[(\\w+)\\] (\\S+)");
    /** An outcome's row; a rare one's frequency prints as {@code <0.01%}, and must count as much as any other. */
    private static final Pattern ROW =
            Pattern.compile("^\\s*(\\S.*?)\\s+([\\d,]+)\\s+<?[\\d.]+%\\s+(Acceptable|Forbidden|Interesting)\\b");

    /**
     * Time per iteration: half of quick mode's 200 ms. Quick mode still runs each test in 15 forks and compilation
     * modes; at about 3 M samples a second that leaves some 20 M samples a test, and the suite's CI time in check.
     */
    private static final int ITERATION_MILLIS = 100;

    /** A test needs more samples than this for its zero of a forbidden outcome to mean anything. */
    public static final long ENOUGH_SAMPLES = 100_000;

    private Jcstress() {
    }

    /**
     * What jcstress saw of one test over all its runs.
     *
     * @param samples    samples per outcome id (as the test's {@code @Outcome} ids print them, e.g. {@code "true, 1"})
     * @param runs       runs reported (jcstress runs each test in several forks and compilation modes)
     * @param failedRuns runs not reported OK (a forbidden outcome, or an error)
     */
    public record Tally(Map<String, Long> samples, int runs, int failedRuns) {
        /** Samples of the outcome {@code id}; 0 if it never showed. */
        public long samples(String id) {
            return samples.getOrDefault(id, 0L);
        }

        /** Samples of every outcome. */
        public long total() {
            return samples.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * Runs the jcstress tests nested in {@code holder} and returns their tallies by simple name (the nested class's
     * name). Fails, naming the output file, if jcstress does not end within 10 minutes or reports no test.
     */
    public static Map<String, Tally> run(Class<?> holder) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(Path.of("target", "jcstress"));
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-opens") || arg.startsWith("--add-exports")
                    || arg.startsWith("--enable-native-access")) {
                cmd.add(arg);
            }
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.openjdk.jcstress.Main",
                "-t", Pattern.quote(holder.getName()) + ".*", "-m", "quick", "-time", String.valueOf(ITERATION_MILLIS),
                "-v", "-r", dir.resolve("report").toString()));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Path saved = dir.resolve(holder.getSimpleName() + ".txt");
        Files.writeString(saved, out);
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("jcstress did not end; output in " + saved.toAbsolutePath());
        }
        Map<String, Tally> tallies = tally(out, holder.getName() + "$", holder.getName() + ".");
        if (tallies.isEmpty()) {
            throw new AssertionError("jcstress ran no test of " + holder.getName() + "; output in "
                    + saved.toAbsolutePath());
        }
        return tallies;
    }

    /**
     * The tally of {@code test} (a nested class's simple name) from {@link #run}'s result.
     *
     * @throws AssertionError if jcstress did not run it, or took no more than {@link #ENOUGH_SAMPLES} samples
     */
    public static Tally tallyOf(Map<String, Tally> seen, String test) {
        Tally t = seen.get(test);
        if (t == null) {
            throw new AssertionError("jcstress did not run " + test + ": " + seen.keySet());
        }
        if (t.total() <= ENOUGH_SAMPLES) {
            throw new AssertionError(test + ": too few samples to mean anything: " + t.total());
        }
        return t;
    }

    /** Tallies jcstress's verbose output by test, for the tests whose names start with one of the prefixes. */
    static Map<String, Tally> tally(String out, String... prefixes) {
        Map<String, Map<String, Long>> samples = new TreeMap<>();
        Map<String, int[]> runs = new HashMap<>(); // {runs, failed}
        Map<String, Long> current = null;
        for (String line : out.split("\\R")) {
            Matcher h = TEST_HEADER.matcher(line);
            if (h.find()) {
                String name = nameAfter(h.group(2), prefixes);
                current = name == null ? null : samples.computeIfAbsent(name, k -> new TreeMap<>());
                if (name != null) {
                    int[] r = runs.computeIfAbsent(name, k -> new int[2]);
                    r[0]++;
                    if (!h.group(1).equals("OK")) {
                        r[1]++;
                    }
                }
                continue;
            }
            Matcher row = current == null ? null : ROW.matcher(line);
            if (row != null && row.find()) {
                current.merge(row.group(1).trim(), Long.parseLong(row.group(2).replace(",", "")), Long::sum);
            }
        }
        Map<String, Tally> tallies = new TreeMap<>();
        samples.forEach((name, s) -> tallies.put(name, new Tally(Map.copyOf(s), runs.get(name)[0], runs.get(name)[1])));
        return tallies;
    }

    private static String nameAfter(String test, String... prefixes) {
        for (String prefix : prefixes) {
            if (test.startsWith(prefix)) {
                return test.substring(prefix.length());
            }
        }
        return null;
    }
}
