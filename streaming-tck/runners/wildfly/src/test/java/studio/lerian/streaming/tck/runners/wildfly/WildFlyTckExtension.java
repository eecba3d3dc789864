package studio.lerian.streaming.tck.runners.wildfly;

import org.jboss.arquillian.container.spi.client.container.DeploymentExceptionTransformer;
import org.jboss.arquillian.core.spi.LoadableExtension;
import org.jboss.as.arquillian.container.ExceptionTransformer;
import studio.lerian.streaming.tck.runners.support.arquillian.CdiDeploymentExceptionTransformer;

/**
 * WildFly's Arquillian adapter reports a refused deployment as Arquillian's own {@code DeploymentException} carrying the
 * server's failure description, and registers a transformer that passes it on unchanged. This extension replaces that
 * transformer with {@link CdiDeploymentExceptionTransformer}, so a deployment that CDI refused fails with the CDI
 * {@code DeploymentException} the TCK's broken-deployment tests expect.
 */
public class WildFlyTckExtension implements LoadableExtension {

    @Override
    public void register(ExtensionBuilder builder) {
        builder.override(DeploymentExceptionTransformer.class, ExceptionTransformer.class,
                CdiDeploymentExceptionTransformer.class);
    }
}
