package studio.lerian.streaming.examples.liberty;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.Emitter;

/**
 * Captures payments. Each call of {@link #capture} is one JTA transaction ({@code @Transactional}): the payment row,
 * and the outbox row when the event goes to the outbox, commit together or not at all. An unchecked exception out of
 * it (a {@link Refused} payment, a {@code StreamingException} from the emit) rolls both back.
 */
@ApplicationScoped
public class Payments {

    @PersistenceContext(unitName = "payments")
    EntityManager em;

    @Inject
    Emitter emitter;

    /**
     * Persists the payment and emits {@code payment.captured}, then validates the amount. Validating after the emit is
     * deliberate: a refused payment rolls back the transaction, and with it the outbox row the emit may have written.
     *
     * @param request what to capture
     * @param failAfterEmit fail after the emit whatever the amount (shows the rollback with a valid payment)
     * @return the captured payment
     * @throws Refused when the payment is refused; the transaction rolls back
     */
    @Transactional
    public Payment capture(PaymentRequest request, boolean failAfterEmit) {
        String merchant = isBlank(request.merchantId()) ? "merchant-1" : request.merchantId();
        String currency = isBlank(request.currency()) ? "BRL" : request.currency();
        Payment payment = new Payment(UUID.randomUUID().toString(), merchant, request.amountCents(), currency,
                OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS));
        em.persist(payment);
        emitter.emit(EmitRequest.builder(PaymentEvents.PAYMENT_CAPTURED)
                .tenantId(merchant)
                .subject(payment.getId())
                .payload(PaymentCaptured.of(payment))
                .build());
        if (failAfterEmit) {
            throw new Refused("failAfterEmit=true: refused after the event was emitted");
        }
        if (request.amountCents() <= 0) {
            throw new Refused("amountCents must be positive, was " + request.amountCents());
        }
        return payment;
    }

    /**
     * @param id a payment id
     * @return the payment, or {@code null}
     */
    public Payment find(String id) {
        return em.find(Payment.class, id);
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    /** A refused payment: the transaction rolls back, and {@link RefusedMapper} answers 400. */
    public static class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }
}
