package studio.lerian.streaming.tck.runners.support.arquillian;

import jakarta.enterprise.inject.spi.DeploymentException;
import java.util.List;
import org.jboss.arquillian.container.spi.client.container.DeploymentExceptionTransformer;

/**
 * Gives the TCK's broken-deployment tests ({@code @ShouldThrowException(jakarta.enterprise.inject.spi.DeploymentException.class)})
 * the CDI type when a server refused the deployment because CDI did, but its Arquillian adapter reports only
 * Arquillian's own {@code DeploymentException} carrying the server's text (WildFly's adapter does; the Payara runner's
 * deployment check does too). A deployment failure counts as CDI's when a throwable of the chain is the CDI type, or
 * its message names one of {@link #CDI_FAILURE_MARKS}: the CDI type itself, Weld's subclass of it, or GlassFish's and
 * Payara's prefix for a Weld deployment failure. Any other failure is left as it is, so the test still fails on it.
 *
 * <p>A runner registers it from a {@code LoadableExtension} (see the TCK's README), replacing the adapter's own
 * transformer where the adapter has one.
 */
public class CdiDeploymentExceptionTransformer implements DeploymentExceptionTransformer {

    /** Texts that only a CDI deployment failure puts into a server's report. */
    static final List<String> CDI_FAILURE_MARKS = List.of(
            DeploymentException.class.getName(),
            "org.jboss.weld.exceptions.DeploymentException",
            "CDI deployment failure");

    @Override
    public Throwable transform(Throwable exception) {
        for (Throwable t = exception; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DeploymentException) {
                return t;
            }
            String message = t.getMessage();
            if (message != null && CDI_FAILURE_MARKS.stream().anyMatch(message::contains)) {
                return new DeploymentException(message, exception);
            }
        }
        // Not a CDI failure: let another transformer, or Arquillian, judge the exception as it is.
        return null;
    }
}
