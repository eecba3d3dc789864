package studio.lerian.streaming.tck.runners.liberty;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import studio.lerian.streaming.cdi.support.KafkaBroker;
import studio.lerian.streaming.tck.spi.TckOutbox;
import studio.lerian.streaming.tck.spi.TckPorting;

/**
 * The TCK porting for Open Liberty and the reference implementation (streaming-cdi with streaming-jpa-outbox): one
 * real KRaft broker in the test JVM for the whole run (on 127.0.0.1, stopped at JVM exit), and in every deployment
 * the implementation's jars (copied by the build into {@code streaming.tck.libs}), the outbox wired to a JTA
 * persistence unit on one of the server's datasources ({@link OutboxDatabase}), and the TCK's outbox reader.
 */
public class LibertyPorting implements TckPorting {

    private static KafkaBroker broker;
    private static OutboxDatabase database;

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

    private static synchronized OutboxDatabase database() {
        if (database == null) {
            database = OutboxDatabase.choose();
            System.out.println("streaming-tck: the outbox table is on " + database + " (" + database.jndiName() + ")");
        }
        return database;
    }

    @Override
    public void appendTo(WebArchive archive) {
        addImplementationJars(archive);
        OutboxDatabase db = database();
        archive.addClasses(OutboxUnit.class, OutboxDatabase.class, OutboxTable.class, ReferenceOutboxReader.class)
                .addAsServiceProvider(TckOutbox.class, ReferenceOutboxReader.class)
                .addAsResource(new StringAsset("database=" + db.name() + "\n"), OutboxDatabase.RESOURCE)
                .addAsResource(new StringAsset(persistenceXml(db)), "META-INF/persistence.xml");
    }

    /** One JTA unit on the run's datasource, mapping only the outbox entity; the table comes from OutboxTable. */
    private static String persistenceXml(OutboxDatabase db) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <persistence xmlns="https://jakarta.ee/xml/ns/persistence" version="3.0">
                  <persistence-unit name="%s" transaction-type="JTA">
                    <jta-data-source>%s</jta-data-source>
                    <mapping-file>META-INF/lerian-streaming-orm.xml</mapping-file>
                    <exclude-unlisted-classes>true</exclude-unlisted-classes>
                    <properties>
                      <property name="jakarta.persistence.schema-generation.database.action" value="none"/>
                    </properties>
                  </persistence-unit>
                </persistence>
                """.formatted(OutboxUnit.UNIT, db.jndiName());
    }

    private static void addImplementationJars(WebArchive archive) {
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
