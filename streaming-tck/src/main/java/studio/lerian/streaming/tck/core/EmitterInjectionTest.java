package studio.lerian.streaming.tck.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.ejb.EJB;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.tck.Assertion;
import studio.lerian.streaming.tck.TckTags;
import studio.lerian.streaming.tck.support.TckBroker;
import studio.lerian.streaming.tck.support.TckDeployments;
import studio.lerian.streaming.tck.support.TckRecord;

/** {@code @Inject Emitter} works in a CDI bean and in an EJB, and what they emit reaches the broker. */
@ExtendWith(ArquillianExtension.class)
@Tag(TckTags.CORE)
public class EmitterInjectionTest {

    @Deployment
    public static WebArchive deployment() {
        return TckDeployments.war("emitter-injection", EmitterInjectionTest.class, TckCatalog.class,
                CdiPublisher.class, EjbPublisher.class);
    }

    @Inject
    CdiPublisher cdi;

    @EJB
    EjbPublisher ejb;

    @Test
    @Assertion(id = "inject-1", spec = "README §A minimal application")
    public void emitterInjectedIntoACdiBeanPublishes() {
        assertPublishedThrough(request -> cdi.publish(request), "t-cdi");
    }

    @Test
    @Assertion(id = "inject-2", spec = "README §A minimal application")
    public void emitterInjectedIntoAnEjbPublishes() {
        assertPublishedThrough(request -> ejb.publish(request), "t-ejb");
    }

    private static void assertPublishedThrough(java.util.function.Consumer<EmitRequest> publisher, String tenant) {
        String id = UUID.randomUUID().toString();
        publisher.accept(EmitRequest.builder(TckCatalog.TRANSACTION_CREATED).tenantId(tenant).eventId(id)
                .payload("{\"via\":\"" + tenant + "\"}").build());

        List<TckRecord> records = TckBroker.awaitEvent(TckCatalog.TRANSACTION_CREATED_TOPIC, id);
        assertEquals(1, records.size(), "records with ce-id " + id);
        assertEquals(tenant, records.get(0).keyString(), "key");
    }
}
