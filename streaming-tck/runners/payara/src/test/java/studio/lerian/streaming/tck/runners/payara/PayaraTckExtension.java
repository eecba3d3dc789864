package studio.lerian.streaming.tck.runners.payara;

import org.jboss.arquillian.container.spi.client.container.DeploymentExceptionTransformer;
import org.jboss.arquillian.core.spi.LoadableExtension;
import studio.lerian.streaming.tck.runners.support.arquillian.CdiDeploymentExceptionTransformer;

/**
 * What the Payara Micro adapter lacks for the TCK's broken-deployment tests: {@link PayaraDeploymentCheck} turns a
 * deployment Payara Micro refused into a deployment failure, and {@link CdiDeploymentExceptionTransformer} gives it
 * the CDI type when CDI was the reason (Payara reports {@code CDI deployment failure:...}).
 */
public class PayaraTckExtension implements LoadableExtension {

    @Override
    public void register(ExtensionBuilder builder) {
        builder.observer(PayaraDeploymentCheck.class)
                .service(DeploymentExceptionTransformer.class, CdiDeploymentExceptionTransformer.class);
    }
}
