package dev.myrmex.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The BOM pins every module that is published, at the build's own version: a module added to the build without a
 * line in {@code bom/pom.xml} (or a BOM left at another version) fails here, not in a user's build.
 */
class BomTest {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @Test
    void theBomNamesEveryPublishedModuleAtTheBuildsVersion() throws Exception {
        String root = Files.readString(ROOT.resolve("pom.xml"));
        String bom = Files.readString(ROOT.resolve("bom/pom.xml"));
        assertEquals(first(root, "<version>(.*?)</version>"), first(bom, "<version>(.*?)</version>"),
                "the BOM's version is not the build's");
        List<String> modules = all(root, "<module>(.*?)</module>");
        assertFalse(modules.isEmpty());
        for (String module : modules) {
            if (module.equals("bom")) {
                continue;
            }
            String pom = Files.readString(ROOT.resolve(module).resolve("pom.xml"));
            String artifact = first(pom.substring(pom.indexOf("</parent>")), "<artifactId>(.*?)</artifactId>");
            boolean published = !pom.contains("<myrmex.unpublished>true</myrmex.unpublished>");
            String wrong = published ? " is published but the BOM does not pin it"
                    : " is not published but the BOM pins it";
            assertEquals(published, bom.contains("<artifactId>" + artifact + "</artifactId>"), module + wrong);
        }
        assertTrue(bom.contains("<version>${project.version}</version>"));
    }

    private static String first(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), regex);
        return m.group(1);
    }

    private static List<String> all(String text, String regex) {
        return Pattern.compile(regex).matcher(text).results().map(r -> r.group(1)).toList();
    }
}
