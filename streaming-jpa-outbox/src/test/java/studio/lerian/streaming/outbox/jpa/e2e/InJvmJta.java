package studio.lerian.streaming.outbox.jpa.e2e;

import com.arjuna.ats.internal.jta.transaction.arjunacore.TransactionSynchronizationRegistryImple;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.AgroalConnectionPoolConfiguration.ConnectionValidator;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.exceptionsorter.PostgreSQLExceptionSorter;
import io.agroal.api.security.NamePrincipal;
import io.agroal.narayana.NarayanaTransactionIntegration;
import jakarta.transaction.TransactionManager;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.UserTransaction;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import javax.naming.Context;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import studio.lerian.streaming.outbox.jpa.internal.Jta;

/**
 * What a Jakarta EE server gives an application for JTA, in the test JVM: Narayana as the transaction manager, its
 * user transaction and synchronization registry bound at the standard {@code java:comp} names (where the outbox looks
 * them up) in an in-memory JNDI context (simple-jndi), and connection pools (Agroal) that enlist their connections in
 * the calling thread's transaction, as a server's JTA data source does.
 *
 * <p>Narayana keeps its object store under {@code target/narayana} and opens no status port. The JNDI provider is the
 * test class path's {@code jndi.properties}, for the whole test JVM: the outbox remembers a JVM without any JNDI
 * provider as "no JTA", so a provider set only for the JTA tests would come too late when other tests ran first.
 */
final class InJvmJta implements AutoCloseable {

    private final TransactionManager transactionManager;
    private final TransactionSynchronizationRegistry registry;
    private final UserTransaction userTransaction;
    private final Context names;

    private InJvmJta() throws NamingException {
        configureNarayana(Path.of("target", "narayana").toAbsolutePath());
        transactionManager = com.arjuna.ats.jta.TransactionManager.transactionManager();
        userTransaction = com.arjuna.ats.jta.UserTransaction.userTransaction();
        registry = new TransactionSynchronizationRegistryImple();
        names = new InitialContext();
        names.createSubcontext("java:comp");
        names.bind(Jta.USER_TRANSACTION_NAME, userTransaction);
        names.bind(Jta.REGISTRY_NAME, registry);
    }

    /** @return the transaction manager, its names bound */
    static InJvmJta start() throws NamingException {
        return new InJvmJta();
    }

    /** @return the user transaction an application component would look up */
    UserTransaction userTransaction() {
        return userTransaction;
    }

    /**
     * A JTA data source: a pool whose connections join the calling thread's transaction (one connection per
     * transaction, whatever the number of borrowers). Connections are validated when borrowed and dropped after a
     * fatal error, as a production pool is configured, so that a database that comes back is used again.
     *
     * @param url the JDBC URL
     * @param user the database user (no password)
     * @param maxSize the most connections
     * @return the data source; the caller closes it
     */
    AgroalDataSource dataSource(String url, String user, int maxSize) throws SQLException {
        return AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier().connectionPoolConfiguration(pool -> pool
                .maxSize(maxSize)
                .acquisitionTimeout(Duration.ofSeconds(5))
                .validateOnBorrow(true)
                .connectionValidator(ConnectionValidator.defaultValidatorWithTimeout(2))
                .exceptionSorter(new PostgreSQLExceptionSorter())
                .transactionIntegration(new NarayanaTransactionIntegration(transactionManager, registry))
                .connectionFactoryConfiguration(factory -> factory
                        .jdbcUrl(url)
                        .principal(new NamePrincipal(user)))));
    }

    @Override
    public void close() throws NamingException {
        names.unbind(Jta.USER_TRANSACTION_NAME);
        names.unbind(Jta.REGISTRY_NAME);
        names.destroySubcontext("java:comp");
        names.close();
    }

    /** Narayana reads its settings from system properties when it first starts. */
    private static void configureNarayana(Path store) {
        for (String instance : new String[] {"", "communicationStore.", "stateStore."}) {
            System.setProperty("ObjectStoreEnvironmentBean." + instance + "objectStoreDir", store.toString());
        }
        System.setProperty("CoordinatorEnvironmentBean.transactionStatusManagerEnable", "false");
        System.setProperty("CoreEnvironmentBean.nodeIdentifier", "lerian-outbox-test");
    }
}
