package dev.myrmex.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.testkit.Await;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Without the JVM flags, building a scheduler fails at once with a message that names the missing flag. */
class MissingFlagTest {

    /** Run in a child JVM started without the flags. */
    public static final class BuildOne {
        public static void main(String[] args) {
            try {
                WorkStealingScheduler.builder().workers(1).build().close();
                System.out.println("BUILT");
            } catch (IllegalStateException e) {
                System.out.println("REFUSED: " + e.getMessage());
            }
        }
    }

    @Test
    void withoutAddOpensTheBuilderThrowsNamingTheFlag() throws Exception {
        String out = runChild(List.of("--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED"));
        assertTrue(out.startsWith("REFUSED: "), out);
        assertTrue(out.contains("--add-opens java.base/java.lang=ALL-UNNAMED"), out);
        assertTrue(out.contains("java @myrmex.args") && out.contains("META-INF/myrmex/engine-core.args")
                && out.contains("./myrmex jvm-flags"), "it names the argument file: " + out);
    }

    @Test
    void theArgumentFileTheJarCarriesIsAllItNeeds() throws Exception {
        URL args = MissingFlagTest.class.getClassLoader().getResource("META-INF/myrmex/engine-sched.args");
        assertNotNull(args, "engine-sched's classes carry no META-INF/myrmex/engine-sched.args");
        String out = runChild(List.of("@" + Path.of(args.toURI())));
        assertEquals("BUILT", out.strip());
    }

    @Test
    void withoutTheInternalVmExportTheBuilderThrowsNamingTheFlag() throws Exception {
        String out = runChild(List.of("--add-opens=java.base/java.lang=ALL-UNNAMED"));
        assertTrue(out.startsWith("REFUSED: "), out);
        assertTrue(out.contains("--add-exports java.base/jdk.internal.vm=ALL-UNNAMED"), out);
    }

    @Test
    void withBothFlagsItBuilds() throws Exception {
        String out = runChild(List.of("--add-opens=java.base/java.lang=ALL-UNNAMED",
                "--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED"));
        assertEquals("BUILT", out.strip());
    }

    private static String runChild(List<String> flags) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var cmd = new java.util.ArrayList<String>();
        cmd.add(java);
        cmd.addAll(flags);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), BuildOne.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        byte[] stdout = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(Await.WATCHDOG.toSeconds(), TimeUnit.SECONDS), "child JVM did not end");
        return new String(stdout, StandardCharsets.UTF_8).strip();
    }
}
