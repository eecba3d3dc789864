package studio.lerian.streaming.tck.runners.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The implementation's jars (streaming-cdi and its runtime dependencies), which the runner's build copies into the
 * folder named by the system property {@value #PROPERTY} before the tests run.
 */
public final class ImplementationJars {

    /** The system property that names the folder of jars. */
    public static final String PROPERTY = "streaming.tck.libs";

    private ImplementationJars() {
    }

    /**
     * The jars, sorted by name.
     *
     * @return the jar files, never empty
     * @throws IllegalStateException if the property is not set or the folder holds no jar
     */
    public static List<File> list() {
        String dir = System.getProperty(PROPERTY);
        if (dir == null) {
            throw new IllegalStateException(PROPERTY + " is not set: run through the runner's pom");
        }
        try (Stream<Path> jars = Files.list(Path.of(dir))) {
            List<File> files = jars.filter(p -> p.toString().endsWith(".jar")).map(Path::toFile).sorted().toList();
            if (files.isEmpty()) {
                throw new IllegalStateException("no jars in " + dir);
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
