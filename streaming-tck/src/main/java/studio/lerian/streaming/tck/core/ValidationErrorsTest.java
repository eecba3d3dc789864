package studio.lerian.streaming.tck.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import studio.lerian.streaming.EmitException;
import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.Emitter;
import studio.lerian.streaming.ErrorCode;
import studio.lerian.streaming.StreamingErrors;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.tck.Assertion;
import studio.lerian.streaming.tck.TckTags;
import studio.lerian.streaming.tck.support.TckDeployments;

/** Requests the caller must correct are refused with their error code, and are caller errors. */
@ExtendWith(ArquillianExtension.class)
@Tag(TckTags.CORE)
public class ValidationErrorsTest {

    @Deployment
    public static WebArchive deployment() {
        return TckDeployments.war("validation-errors", ValidationErrorsTest.class, TckCatalog.class);
    }

    @Inject
    Emitter emitter;

    @Test
    @Assertion(id = "errors-1", spec = "docs/events-and-records.md (request rules); docs/errors.md")
    public void payloadThatIsNotJsonIsRefusedWithNotJson() {
        assertRefused(ErrorCode.NOT_JSON, EmitRequest.builder(TckCatalog.TRANSACTION_CREATED).tenantId("t-abc")
                .payload("{\"a\":1}x").build());
        assertRefused(ErrorCode.NOT_JSON, EmitRequest.builder(TckCatalog.TRANSACTION_CREATED).tenantId("t-abc")
                .payload("{'a':1}").build());
        assertRefused(ErrorCode.NOT_JSON, EmitRequest.builder(TckCatalog.TRANSACTION_CREATED).tenantId("t-abc")
                .payload(new byte[0]).build());
    }

    @Test
    @Assertion(id = "errors-2", spec = "docs/errors.md")
    public void definitionMissingFromTheCatalogIsRefusedWithUnknownEventDefinition() {
        assertRefused(ErrorCode.UNKNOWN_EVENT_DEFINITION, EmitRequest.builder("no.such_event").tenantId("t-abc")
                .payload("{}").build());
    }

    @Test
    @Assertion(id = "errors-3", spec = "docs/events-and-records.md (request rules); docs/errors.md")
    public void nonSystemEventWithoutTenantIsRefusedWithMissingTenantId() {
        assertRefused(ErrorCode.MISSING_TENANT_ID, EmitRequest.builder(TckCatalog.TRANSACTION_CREATED)
                .payload("{}").build());
    }

    @Test
    @Assertion(id = "errors-4", spec = "docs/errors.md")
    public void theRefusalCodesAreCallerErrors() {
        assertTrue(ErrorCode.NOT_JSON.isCallerError(), "NOT_JSON");
        assertTrue(ErrorCode.UNKNOWN_EVENT_DEFINITION.isCallerError(), "UNKNOWN_EVENT_DEFINITION");
        assertTrue(ErrorCode.MISSING_TENANT_ID.isCallerError(), "MISSING_TENANT_ID");
        assertFalse(ErrorCode.CIRCUIT_OPEN.isCallerError(), "CIRCUIT_OPEN");
    }

    private void assertRefused(ErrorCode expected, EmitRequest request) {
        StreamingException e = assertThrows(StreamingException.class, () -> emitter.emit(request));
        assertEquals(expected, e.code(), e.getMessage());
        assertFalse(e instanceof EmitException, "refused before any publish: " + e.getMessage());
        assertTrue(StreamingErrors.isCallerError(e), "StreamingErrors.isCallerError for " + expected);
        assertTrue(e.getMessage().startsWith(expected.message()),
                "message starts with the Go library's text: " + e.getMessage());
    }
}
