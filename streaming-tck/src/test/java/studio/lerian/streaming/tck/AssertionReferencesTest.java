package studio.lerian.streaming.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every {@link Assertion} names documentation that exists: each reference's document is a file of the repository,
 * and its section, when it names one, is a heading of that document. The documentation is the TCK's specification, so
 * a page renamed or a heading reworded must take the tests' references along.
 */
class AssertionReferencesTest {

    /** A document, then optionally " §" and a heading, then optionally " (a note)". */
    private static final Pattern REFERENCE =
            Pattern.compile("(README|docs/[a-z0-9-]+\\.md)(?: §([^()]+?))?(?: \\((.+)\\))?");

    private static final Path REPOSITORY = Path.of("..");

    @Test
    void everyAssertionNamesAnExistingDocumentAndHeading() throws Exception {
        List<Method> asserted = assertedMethods();
        assertTrue(asserted.size() >= 40, "expected the TCK's tests, found " + asserted.size());
        List<String> broken = new ArrayList<>();
        for (Method m : asserted) {
            Assertion a = m.getAnnotation(Assertion.class);
            for (String reference : a.spec().split("; ", -1)) {
                String problem = problemWith(reference);
                if (problem != null) {
                    broken.add(a.id() + " (" + m.getDeclaringClass().getSimpleName() + "): " + problem);
                }
            }
        }
        assertEquals(List.of(), broken);
    }

    @Test
    void aReferenceToAMissingHeadingOrPageIsCaught() {
        assertEquals(null, problemWith("docs/outbox.md §The relay (a note)"));
        assertTrue(problemWith("docs/outbox.md §No such heading") != null);
        assertTrue(problemWith("docs/no-such-page.md") != null);
        assertTrue(problemWith("README §Outbox") != null);
        assertTrue(problemWith("the README's outbox section") != null);
    }

    /** @return why the reference does not resolve, or {@code null} when it does */
    private static String problemWith(String reference) {
        Matcher r = REFERENCE.matcher(reference);
        if (!r.matches()) {
            return "'" + reference + "' is not <README|docs/page.md>[ §heading][ (note)]";
        }
        Path document = REPOSITORY.resolve(r.group(1).equals("README") ? "README.md" : r.group(1));
        if (!Files.isRegularFile(document)) {
            return "'" + reference + "': no document " + document.normalize();
        }
        String heading = r.group(2);
        if (heading != null && !headings(document).contains(heading)) {
            return "'" + reference + "': " + r.group(1) + " has no heading '" + heading + "'";
        }
        return null;
    }

    private static List<String> headings(Path document) {
        try {
            return Files.readAllLines(document, StandardCharsets.UTF_8).stream()
                    .filter(line -> line.startsWith("#"))
                    .map(line -> line.replaceFirst("^#+\\s*", "").strip())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The TCK's test methods, read from the module's compiled classes. */
    private static List<Method> assertedMethods() throws IOException, ClassNotFoundException {
        Path classes = Path.of("target", "classes");
        List<Method> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(file).toString().replace(file.getFileSystem().getSeparator(), ".")
                        .replaceAll("\\.class$", "");
                Class<?> type = Class.forName(name, false, AssertionReferencesTest.class.getClassLoader());
                for (Method m : type.getDeclaredMethods()) {
                    if (m.isAnnotationPresent(Assertion.class)) {
                        found.add(m);
                    }
                }
            }
        }
        return found;
    }
}
