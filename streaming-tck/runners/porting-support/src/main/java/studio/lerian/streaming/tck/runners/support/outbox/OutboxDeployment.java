package studio.lerian.streaming.tck.runners.support.outbox;

import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import studio.lerian.streaming.tck.spi.TckOutbox;

/**
 * Wires the reference outbox into a TCK deployment: a JTA persistence unit on the run's datasource that maps only the
 * outbox entity (streaming-jpa-outbox's mapping file), its {@code @StreamingOutbox} producer ({@link OutboxUnit}), the
 * table's creation ({@link OutboxTable}), and the TCK's outbox reader ({@link ReferenceOutboxReader}) as the
 * deployment's {@link TckOutbox}. The streaming-jpa-outbox jar itself comes with the implementation's jars.
 */
public final class OutboxDeployment {

    private OutboxDeployment() {
    }

    /**
     * Adds the outbox to a deployment.
     *
     * @param archive the deployment being built
     * @param database the datasource of the run
     */
    public static void addTo(WebArchive archive, OutboxDatabase database) {
        archive.addClasses(OutboxDatabase.class, OutboxUnit.class, OutboxTable.class, ReferenceOutboxReader.class)
                .addAsServiceProvider(TckOutbox.class, ReferenceOutboxReader.class)
                .addAsResource(new StringAsset(database.asProperties()), OutboxDatabase.RESOURCE)
                .addAsResource(new StringAsset(persistenceXml(database)), "META-INF/persistence.xml");
    }

    /** The table comes from {@link OutboxTable}, never from schema generation. */
    private static String persistenceXml(OutboxDatabase database) {
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
                """.formatted(OutboxUnit.NAME, database.jndiName());
    }
}
