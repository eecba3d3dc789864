package studio.lerian.streaming.tck.runners.support.arquillian;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import jakarta.enterprise.inject.spi.DeploymentException;
import org.junit.jupiter.api.Test;

class CdiDeploymentExceptionTransformerTest {

    private final CdiDeploymentExceptionTransformer transformer = new CdiDeploymentExceptionTransformer();

    @Test
    void wildFlysFailureDescriptionOfAWeldFailureBecomesTheCdiType() {
        Exception reported = new org.jboss.arquillian.container.spi.client.container.DeploymentException("""
                {"WFLYCTL0080: Failed services" => {"jboss.deployment.unit.\\"x.war\\".WeldStartService" => "Failed to start service
                    Caused by: org.jboss.weld.exceptions.DeploymentException: lib-streaming cannot start
                    Caused by: jakarta.enterprise.inject.spi.DeploymentException: lib-streaming cannot start"}}""");

        Throwable transformed = transformer.transform(reported);

        DeploymentException cdi = assertInstanceOf(DeploymentException.class, transformed);
        assertSame(reported, cdi.getCause());
    }

    @Test
    void payarasCdiDeploymentFailureBecomesTheCdiType() {
        Exception reported = new org.jboss.arquillian.container.spi.client.container.DeploymentException(
                "Payara Micro did not deploy x.war: Exception while loading the app : CDI deployment failure:boom");

        assertInstanceOf(DeploymentException.class, transformer.transform(reported));
    }

    @Test
    void aCdiDeploymentExceptionInTheChainIsReturnedAsItIs() {
        DeploymentException cdi = new DeploymentException("boom");

        assertSame(cdi, transformer.transform(new IllegalStateException("wrapped", cdi)));
    }

    @Test
    void anotherDeploymentFailureIsLeftToArquillian() {
        Exception reported = new org.jboss.arquillian.container.spi.client.container.DeploymentException(
                "WFLYSRV0153: Failed to process phase PARSE of deployment \"x.war\"",
                new IllegalArgumentException("bad web.xml"));

        assertNull(transformer.transform(reported));
    }
}
