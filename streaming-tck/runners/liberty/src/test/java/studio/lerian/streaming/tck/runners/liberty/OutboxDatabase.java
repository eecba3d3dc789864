package studio.lerian.streaming.tck.runners.liberty;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Locale;
import java.util.Properties;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

/**
 * Which of the server's two datasources (see {@code server.xml}) holds the outbox for this run: PostgreSQL when it
 * answers on 127.0.0.1:5432, H2 otherwise, or what {@value #PROPERTY} ({@code postgresql} or {@code h2}) says. The
 * porting decides once on the client side and writes the choice into each deployment, where the schema creation and
 * the outbox reader read it back.
 */
public enum OutboxDatabase {
    /** A file database under the server's output folder. */
    H2("jdbc/tck-h2", "h2"),
    /** The {@code streaming_tck_liberty} schema of database {@code test} on 127.0.0.1:5432. */
    POSTGRESQL("jdbc/tck-postgresql", "postgresql");

    /** System property of the test JVM that forces the choice. */
    static final String PROPERTY = "streaming.tck.database";

    /** The class-path resource, inside a deployment, that names the database of the run. */
    static final String RESOURCE = "META-INF/streaming-tck-liberty.properties";

    private final String jndiName;
    private final String ddlName;

    OutboxDatabase(String jndiName, String ddlName) {
        this.jndiName = jndiName;
        this.ddlName = ddlName;
    }

    /** @return the datasource's JNDI name in {@code server.xml} */
    String jndiName() {
        return jndiName;
    }

    /** @return the suffix of the outbox DDL shipped in streaming-jpa-outbox ({@code schema-<suffix>.sql}) */
    String ddlName() {
        return ddlName;
    }

    /** @return the datasource, looked up in the server */
    DataSource dataSource() {
        try {
            return (DataSource) new InitialContext().lookup(jndiName);
        } catch (NamingException e) {
            throw new IllegalStateException("no datasource " + jndiName + " in the server", e);
        }
    }

    /**
     * Client side: the database of this run.
     *
     * @return PostgreSQL when forced or reachable, else H2
     */
    static OutboxDatabase choose() {
        String forced = System.getProperty(PROPERTY, "").strip();
        if (!forced.isEmpty()) {
            return valueOf(forced.toUpperCase(Locale.ROOT));
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", 5432), 1000);
            return POSTGRESQL;
        } catch (IOException e) {
            return H2;
        }
    }

    /**
     * Server side: the database the porting chose for this deployment.
     *
     * @return the database named by {@value #RESOURCE}
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
        return valueOf(p.getProperty("database"));
    }
}
