package studio.lerian.streaming.tck.runners.liberty;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import studio.lerian.streaming.cdi.support.KafkaBroker;
import studio.lerian.streaming.tck.spi.TckPorting;

/**
 * The TCK porting for Open Liberty and streaming-cdi: one real KRaft broker in the test JVM for the whole run (on
 * 127.0.0.1, stopped at JVM exit), and the implementation's jars, copied by the build into {@code streaming.tck.libs},
 * added to {@code WEB-INF/lib} of every deployment.
 */
public class LibertyPorting implements TckPorting {

    private static KafkaBroker broker;

    private static synchronized KafkaBroker broker() {
        if (broker == null) {
            KafkaBroker b = new KafkaBroker().start();
            Runtime.getRuntime().addShutdownHook(new Thread(b::close, "tck-broker-close"));
            broker = b;
        }
        return broker;
    }

    @Override
    public String bootstrapServers() {
        return broker().bootstrap();
    }

    @Override
    public void stopBroker() {
        broker().stop();
    }

    @Override
    public void startBroker() {
        broker().start();
    }

    @Override
    public void appendTo(WebArchive archive) {
        String dir = System.getProperty("streaming.tck.libs");
        if (dir == null) {
            throw new IllegalStateException("streaming.tck.libs is not set: run through the runner's pom");
        }
        try (Stream<Path> jars = Files.list(Path.of(dir))) {
            List<File> files = jars.filter(p -> p.toString().endsWith(".jar")).map(Path::toFile).sorted().toList();
            if (files.isEmpty()) {
                throw new IllegalStateException("no jars in " + dir);
            }
            archive.addAsLibraries(files.toArray(File[]::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
