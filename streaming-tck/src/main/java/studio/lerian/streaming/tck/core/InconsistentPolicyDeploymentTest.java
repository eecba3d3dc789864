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
 * A policy entry that would refuse every emit of its event fails the deployment: {@code direct=skip} without
 * {@code outbox=always} leaves the definition's policy inconsistent, so every emit would fail
 * {@code INVALID_DELIVERY_POLICY}.
 */
@ExtendWith(ArquillianExtension.class)
@Tag(TckTags.CORE)
public class InconsistentPolicyDeploymentTest {

    @Deployment
    @ShouldThrowException(DeploymentException.class)
    public static WebArchive deployment() {
        return TckDeployments.war("inconsistent-policy",
                Map.of("streaming.event.policies", TckCatalog.TRANSACTION_CREATED + ".direct=skip"),
                InconsistentPolicyDeploymentTest.class, TckCatalog.class);
    }

    /** Arquillian fails this test when the deployment above starts. */
    @Test
    @RunAsClient
    @Assertion(id = "deploy-3", spec = "docs/policies.md §Delivery policies (an entry that leaves the policy "
            + "inconsistent fails the deployment)")
    public void deploymentWithAPolicyThatRefusesEveryEmitFails() {
        // The assertion is the expected DeploymentException on the @Deployment above.
    }
}
