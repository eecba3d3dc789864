package studio.lerian.streaming.tck.runners.payara;

import java.util.Arrays;
import java.util.Optional;
import org.jboss.arquillian.container.spi.client.container.DeploymentException;
import org.jboss.arquillian.container.spi.client.protocol.metadata.HTTPContext;
import org.jboss.arquillian.container.spi.client.protocol.metadata.ProtocolMetaData;
import org.jboss.arquillian.container.spi.event.container.AfterDeploy;
import org.jboss.arquillian.container.spi.event.container.BeforeDeploy;
import org.jboss.arquillian.core.api.Instance;
import org.jboss.arquillian.core.api.annotation.Inject;
import org.jboss.arquillian.core.api.annotation.Observes;

/**
 * Reports a deployment that Payara Micro refused. Payara Micro starts with the archive ({@code --deploy}); when the
 * deployment fails it logs {@value #FAILURE} with the reason and keeps running with no application, and its Arquillian
 * adapter, which only waits for the instance banner, returns as if the archive were deployed. This check reads the
 * server's output of the deployment and the adapter's view of it, and fails the deployment, with the server's reason,
 * when the server reported a failure or deployed no servlet of the archive (every TCK deployment has Arquillian's test
 * servlet).
 */
public class PayaraDeploymentCheck {

    /** GlassFish's and Payara's report of a failed deployment, followed by the reason on the same line. */
    static final String FAILURE = "Exception while loading the app";

    @Inject
    private Instance<ProtocolMetaData> metaData;

    private ServerOutput output;

    /**
     * Starts copying the server's output.
     *
     * @param event the deployment about to start
     */
    public void watch(@Observes BeforeDeploy event) {
        if (output != null) {
            // The adapter failed the previous deployment itself: no AfterDeploy came to end that capture.
            output.release();
        }
        output = ServerOutput.capture();
    }

    /**
     * Fails the deployment when the server refused it.
     *
     * @param event the deployment the adapter reports as done
     * @throws DeploymentException when Payara Micro did not deploy the archive
     */
    public void check(@Observes AfterDeploy event) throws DeploymentException {
        String text = output.release();
        output = null;
        String archive = event.getDeployment().getName();
        Optional<String> reason = Arrays.stream(text.split("\\R")).filter(line -> line.contains(FAILURE + " :"))
                .reduce((first, last) -> last).map(line -> line.substring(line.indexOf(FAILURE)));
        if (reason.isPresent()) {
            throw new DeploymentException("Payara Micro did not deploy " + archive + ": " + reason.get());
        }
        if (!hasServlets()) {
            throw new DeploymentException("Payara Micro did not deploy " + archive
                    + ": no application is running (see the server's output above)");
        }
    }

    private boolean hasServlets() {
        ProtocolMetaData data = metaData.get();
        return data != null && data.getContexts(HTTPContext.class).stream()
                .anyMatch(context -> !context.getServlets().isEmpty());
    }
}
