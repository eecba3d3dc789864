package studio.lerian.streaming;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NoopEmitterTest {

    @Test
    void isHealthy() {
        assertSame(Health.healthy(), NoopEmitter.instance().health());
        assertTrue(NoopEmitter.instance().health().isHealthy());
    }

    @Test
    void emitAcceptsAnyRequestWithoutValidation() {
        Emitter noop = NoopEmitter.instance();
        assertDoesNotThrow(() -> noop.emit(EmitRequest.builder("unknown.key").payload("{not json").build()));
        assertDoesNotThrow(() -> noop.emit(EmitRequest.builder("transaction.created").tenantId("t-abc")
                .payload("{\"amount\":100}").build()));
    }

    @Test
    void emitRejectsANullRequest() {
        assertThrows(NullPointerException.class, () -> NoopEmitter.instance().emit(null));
    }

    @Test
    void closeIsIdempotentAndChangesNothing() {
        NoopEmitter noop = NoopEmitter.instance();
        noop.close();
        noop.close();
        assertTrue(noop.health().isHealthy());
        assertDoesNotThrow(() -> noop.emit(EmitRequest.builder("a.b").build()));
    }

    @Test
    void isAStatelessSharedInstance() {
        assertSame(NoopEmitter.instance(), NoopEmitter.instance());
        assertEquals("NoopEmitter", NoopEmitter.instance().toString());
    }

    @Test
    void emitAllDiscardsAnyBatchButRejectsNulls() {
        Emitter noop = NoopEmitter.instance();
        noop.emitAll(java.util.List.of(EmitRequest.builder("anything").payload("not json").build()));
        noop.emitAll(java.util.List.of());
        assertThrows(NullPointerException.class, () -> noop.emitAll(null));
        assertThrows(NullPointerException.class,
                () -> noop.emitAll(java.util.Arrays.asList((EmitRequest) null)));
    }
}
