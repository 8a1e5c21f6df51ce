package dev.trafficmirror.examples.starter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's Spring Boot quick start is exactly the example applications' code: every snippet
 * marked {@code <!-- quick start: FILE -->} appears in FILE, line for line and in order (the file
 * may have more: its test dependencies). The invoker builds and tests those applications, so the
 * quick start is tested as written.
 */
class QuickStartTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern SNIPPET = Pattern.compile("<!-- quick start: (\\S+) -->\\s*\\n```\\w*\\n(.*?)\\n```",
            Pattern.DOTALL);

    @Test
    void shouldQuoteTheExampleApplicationsLineForLine() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
        Matcher matcher = SNIPPET.matcher(readme);
        List<String> quoted = new ArrayList<>();
        while (matcher.find()) {
            Path file = ROOT.resolve(matcher.group(1));
            assertThat(file).as("the file a quick-start snippet quotes").exists();
            List<String> snippet = lines(matcher.group(2));
            List<String> source = lines(Files.readString(file, StandardCharsets.UTF_8));
            assertThat(contains(source, snippet)).as("README's snippet of %s is in it, line for line:%n%s", file,
                    String.join("\n", snippet)).isTrue();
            quoted.add(matcher.group(1));
        }
        assertThat(quoted).contains("mirror-examples-starter/boot-3.5/pom.xml",
                "mirror-examples-starter/boot-3.5/src/main/resources/application.properties");
    }

    @Test
    void shouldNameTheVersionThisBuildMakes() throws IOException {
        String version = System.getProperty("project.version");
        assertThat(version).isNotBlank();
        for (String example : List.of("boot-3.5", "boot-4.1")) {
            String pom = Files.readString(ROOT.resolve("mirror-examples-starter").resolve(example).resolve("pom.xml"));
            assertThat(pom).as(example).contains("<artifactId>mirror-bom</artifactId>\n        <version>" + version
                    + "</version>");
        }
    }

    /** The lines, each without its indentation, blank ones left out. */
    private static List<String> lines(String text) {
        return text.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
    }

    /** Whether every line of {@code snippet} is in {@code source}, in the same order. */
    private static boolean contains(List<String> source, List<String> snippet) {
        int found = 0;
        for (String line : source) {
            if (found < snippet.size() && line.equals(snippet.get(found))) {
                found++;
            }
        }
        return found == snippet.size();
    }
}
