package dev.myrmex.journal;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Test support: the command line of a child JVM running a test class's main, with the flags Chronicle needs. */
final class ChildJvm {
    private ChildJvm() {
    }

    /** {@code java [this JVM's --add-* and Chronicle flags] -Xmx256m -cp [this class path] main args...} */
    static List<String> command(Class<?> main, String... args) {
        return command("256m", main, args);
    }

    /** {@code java [this JVM's --add-* and Chronicle flags] -Xmx[heap] -cp [this class path] main args...} */
    static List<String> command(String heap, Class<?> main, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-") || a.startsWith("--enable-native-access")
                    || a.startsWith("--sun-misc-unsafe-memory-access") || a.startsWith("-Dchronicle.")) {
                cmd.add(a); // the flags Chronicle and our scheduler need, as the build gave them to this JVM
            }
        }
        cmd.addAll(List.of("-Xmx" + heap, "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp",
                System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }
}
