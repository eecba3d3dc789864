package studio.lerian.streaming.tck.core;

import jakarta.enterprise.inject.spi.DeploymentException;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.container.test.api.ShouldThrowException;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import studio.lerian.streaming.tck.Assertion;
import studio.lerian.streaming.tck.TckTags;
import studio.lerian.streaming.tck.support.TckDeployments;

/**
 * A configuration the library cannot honour fails the deployment: here a delivery policy for a key that is not in the
 * catalog (golden vector G9: {@code TRANSACTION.created.enabled=false} parses, then fails as an unknown definition).
 */
@ExtendWith(ArquillianExtension.class)
@Tag(TckTags.CORE)
public class InvalidConfigurationDeploymentTest {

    @Deployment
    @ShouldThrowException(DeploymentException.class)
    public static WebArchive deployment() {
        return TckDeployments.war("invalid-configuration",
                Map.of("streaming.event.policies", "TRANSACTION.created.enabled=false"),
                InvalidConfigurationDeploymentTest.class, TckCatalog.class);
    }

    /** Arquillian fails this test when the deployment above starts. */
    @Test
    @RunAsClient
    @Assertion(id = "deploy-2", spec = "docs/policies.md §Delivery policies (a key not in the catalog fails the "
            + "deployment); README §A minimal application")
    public void deploymentWithAPolicyForAnUnknownKeyFails() {
        // The assertion is the expected DeploymentException on the @Deployment above.
    }
}
