package studio.lerian.streaming.outbox.jpa.e2e;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.netcrusher.core.reactor.NioReactor;
import org.netcrusher.tcp.TcpCrusher;
import org.netcrusher.tcp.TcpCrusherBuilder;
import studio.lerian.streaming.core.support.FreePorts;
import studio.lerian.streaming.outbox.jpa.TestDatabase;

/**
 * The outbox tests' PostgreSQL (the shipped DDL and a {@code ledger_entry} business table) as an application's
 * persistence unit reaches it: through an in-JVM TCP proxy (netcrusher) that a test closes to cut the database off
 * (every connection through it reset, new ones refused) and opens again. The test itself checks the table on a
 * direct connection ({@link #db()}), which the cut leaves alone.
 */
final class ProxiedPostgres implements AutoCloseable {

    private static final Pattern HOST_PORT = Pattern.compile("//([^/:?]+):(\\d+)/");

    private final TestDatabase.Postgres db;
    private final NioReactor reactor;
    private final TcpCrusher proxy;
    private final String url;

    private ProxiedPostgres(TestDatabase.Postgres db, NioReactor reactor, TcpCrusher proxy, String url) {
        this.db = db;
        this.reactor = reactor;
        this.proxy = proxy;
        this.url = url;
    }

    /** Opens the database (skipping the test when PostgreSQL is not reachable, outside CI) and its proxy. */
    static ProxiedPostgres open() throws SQLException, IOException {
        TestDatabase.Postgres db = TestDatabase.Postgres.open();
        try {
            db.applyShippedDdl();
            try (Connection c = db.connect(); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE ledger_entry (id VARCHAR(64) PRIMARY KEY, note VARCHAR(255))");
            }
            Matcher server = HOST_PORT.matcher(db.url());
            if (!server.find()) {
                throw new IllegalStateException("no host and port in " + db.url());
            }
            NioReactor reactor = new NioReactor();
            TcpCrusher proxy = TcpCrusherBuilder.builder().withReactor(reactor)
                    .withBindAddress("127.0.0.1", FreePorts.pick(1)[0])
                    .withConnectAddress(server.group(1), Integer.parseInt(server.group(2)))
                    .buildAndOpen();
            String url = server.replaceFirst("//127.0.0.1:" + proxy.getBindAddress().getPort() + "/")
                    + "&connectTimeout=2&loginTimeout=2";
            return new ProxiedPostgres(db, reactor, proxy, url);
        } catch (SQLException | IOException | RuntimeException e) {
            db.close();
            throw e;
        }
    }

    /** @return the database, on direct connections */
    TestDatabase.Postgres db() {
        return db;
    }

    /** @return the JDBC URL through the proxy, with short connect and login timeouts */
    String url() {
        return url;
    }

    /** Cuts the database off: every connection through the proxy is reset, and new ones are refused. */
    void cut() {
        proxy.close();
    }

    /** Lets connections through again. */
    void restore() {
        proxy.open();
    }

    @Override
    public void close() throws SQLException {
        try {
            proxy.close();
            reactor.close();
        } finally {
            db.close();
        }
    }

}
