package studio.lerian.streaming.tck.core;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.DeploymentException;
import java.util.Collection;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.container.test.api.ShouldThrowException;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import studio.lerian.streaming.EventDefinition;
import studio.lerian.streaming.spi.CatalogProvider;
import studio.lerian.streaming.tck.Assertion;
import studio.lerian.streaming.tck.TckTags;
import studio.lerian.streaming.tck.support.TckDeployments;

/**
 * A catalog with two different definitions under one key cannot start: the deployment fails (a CDI
 * {@link DeploymentException}, as the server reports it to Arquillian) instead of publishing with either one.
 */
@ExtendWith(ArquillianExtension.class)
@Tag(TckTags.CORE)
public class InvalidCatalogDeploymentTest {

    @Deployment
    @ShouldThrowException(DeploymentException.class)
    public static WebArchive deployment() {
        return TckDeployments.war("invalid-catalog", InvalidCatalogDeploymentTest.class, TckCatalog.class,
                ClashingCatalog.class);
    }

    /** Arquillian fails this test when the deployment above starts. */
    @Test
    @RunAsClient
    @Assertion(id = "deploy-1", spec = "README §A minimal application (a wrong catalog fails the deployment)")
    public void deploymentWithClashingDefinitionsFails() {
        // The assertion is the expected DeploymentException on the @Deployment above.
    }

    /** Declares {@code transaction.created} again, with another event type than {@link TckCatalog}. */
    @ApplicationScoped
    public static class ClashingCatalog implements CatalogProvider {
        @Override
        public Collection<EventDefinition> definitions() {
            return List.of(EventDefinition.builder(TckCatalog.TRANSACTION_CREATED).resourceType("transaction")
                    .eventType("booked").build());
        }
    }
}
