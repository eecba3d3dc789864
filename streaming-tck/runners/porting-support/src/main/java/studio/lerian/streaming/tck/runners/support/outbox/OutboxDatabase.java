package studio.lerian.streaming.tck.runners.support.outbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Locale;
import java.util.Properties;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

/**
 * The server datasource that holds the outbox table in a TCK run: the runtime's PostgreSQL datasource when PostgreSQL
 * answers on 127.0.0.1:5432, its H2 datasource otherwise, or what the test JVM's system property {@value #PROPERTY}
 * ({@code postgresql} or {@code h2}) says. Chosen once on the client side; each deployment carries the choice in
 * {@value #RESOURCE}, where the table creation and the outbox reader read it back.
 *
 * @param kind {@code h2} or {@code postgresql}: also the suffix of the DDL streaming-jpa-outbox ships
 * @param jndiName the datasource's JNDI name in the server
 * @param schema the PostgreSQL schema the datasource's {@code currentSchema} names (one per runtime, so runs on
 *        different servers never share a table), empty on H2
 */
public record OutboxDatabase(String kind, String jndiName, String schema) {

    /** System property of the test JVM that forces the database. */
    public static final String PROPERTY = "streaming.tck.database";

    /** Kind of the H2 datasource. */
    public static final String H2 = "h2";

    /** Kind of the PostgreSQL datasource. */
    public static final String POSTGRESQL = "postgresql";

    /** The class-path resource, inside a deployment, that names the datasource of the run. */
    static final String RESOURCE = "META-INF/streaming-tck-outbox-database.properties";

    /**
     * Client side: the datasource of this run.
     *
     * @param h2JndiName the server's H2 datasource
     * @param postgresqlJndiName the server's PostgreSQL datasource
     * @param postgresqlSchema the schema that datasource names
     * @return PostgreSQL when forced or reachable, else H2
     */
    public static OutboxDatabase choose(String h2JndiName, String postgresqlJndiName, String postgresqlSchema) {
        String forced = System.getProperty(PROPERTY, "").strip().toLowerCase(Locale.ROOT);
        boolean postgresql = forced.isEmpty() ? postgresqlAnswers() : forced.equals(POSTGRESQL);
        return postgresql ? new OutboxDatabase(POSTGRESQL, postgresqlJndiName, postgresqlSchema)
                : new OutboxDatabase(H2, h2JndiName, "");
    }

    private static boolean postgresqlAnswers() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 5432), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** @return whether the table is on PostgreSQL */
    public boolean isPostgresql() {
        return POSTGRESQL.equals(kind);
    }

    /** @return the content of {@value #RESOURCE} for a deployment */
    String asProperties() {
        return "kind=" + kind + "\njndiName=" + jndiName + "\nschema=" + schema + "\n";
    }

    /**
     * Server side: the datasource the porting chose for this deployment.
     *
     * @return the datasource named by {@value #RESOURCE}
     */
    static OutboxDatabase ofDeployment() {
        Properties p = new Properties();
        try (InputStream in = OutboxDatabase.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing: the porting adds it");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new OutboxDatabase(p.getProperty("kind"), p.getProperty("jndiName"), p.getProperty("schema", ""));
    }

    /** @return the datasource, looked up in the server */
    DataSource dataSource() {
        try {
            return (DataSource) new InitialContext().lookup(jndiName);
        } catch (NamingException e) {
            throw new IllegalStateException("no datasource " + jndiName + " in the server", e);
        }
    }

    @Override
    public String toString() {
        return kind + " (" + jndiName + (schema.isEmpty() ? "" : ", schema " + schema) + ")";
    }
}
