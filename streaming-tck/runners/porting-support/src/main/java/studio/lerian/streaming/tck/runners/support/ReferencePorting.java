package studio.lerian.streaming.tck.runners.support;

import java.io.File;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import studio.lerian.streaming.tck.runners.support.outbox.OutboxDatabase;
import studio.lerian.streaming.tck.runners.support.outbox.OutboxDeployment;
import studio.lerian.streaming.tck.spi.TckPorting;

/**
 * The porting of the TCK to the reference implementation (streaming-cdi with streaming-jpa-outbox), for any runtime:
 * the run's broker ({@link RunBroker}); and in every deployment the implementation's jars ({@link ImplementationJars}),
 * the outbox on one of the server's datasources and the TCK's outbox reader ({@link OutboxDeployment}). A runner
 * registers a subclass that names its server's datasources.
 */
public abstract class ReferencePorting implements TckPorting {

    private final String h2JndiName;
    private final String postgresqlJndiName;
    private final String postgresqlSchema;
    private OutboxDatabase database;

    /**
     * For subclasses: the server's two datasources, of which the run uses one (see
     * {@link OutboxDatabase#choose(String, String, String)}).
     *
     * @param h2JndiName the JNDI name of the server's H2 datasource
     * @param postgresqlJndiName the JNDI name of the server's PostgreSQL datasource
     * @param postgresqlSchema the schema the PostgreSQL datasource works in, one per runtime
     */
    protected ReferencePorting(String h2JndiName, String postgresqlJndiName, String postgresqlSchema) {
        this.h2JndiName = h2JndiName;
        this.postgresqlJndiName = postgresqlJndiName;
        this.postgresqlSchema = postgresqlSchema;
    }

    @Override
    public String bootstrapServers() {
        return RunBroker.get().bootstrap();
    }

    @Override
    public void stopBroker() {
        RunBroker.get().stop();
    }

    @Override
    public void startBroker() {
        RunBroker.get().start();
    }

    @Override
    public void appendTo(WebArchive archive) {
        archive.addAsLibraries(ImplementationJars.list().toArray(File[]::new));
        OutboxDeployment.addTo(archive, database());
    }

    /** @return the datasource of the outbox for this run, chosen on first use */
    protected synchronized OutboxDatabase database() {
        if (database == null) {
            database = OutboxDatabase.choose(h2JndiName, postgresqlJndiName, postgresqlSchema);
            System.out.println("streaming-tck: the outbox table is on " + database);
        }
        return database;
    }
}
