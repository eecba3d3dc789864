package studio.lerian.streaming.examples.liberty;

import jakarta.ejb.ApplicationException;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.UUID;
import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.Emitter;

/**
 * Captures payments. Each call of {@link #capture} is one container-managed JTA transaction: the payment row, and the
 * outbox row when the event goes to the outbox, commit together or not at all.
 */
@Stateless
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
    public Payment capture(PaymentRequest request, boolean failAfterEmit) {
        String merchant = request.merchantId == null || request.merchantId.isBlank() ? "merchant-1" : request.merchantId;
        String currency = request.currency == null || request.currency.isBlank() ? "BRL" : request.currency;
        Payment payment = new Payment(UUID.randomUUID().toString(), merchant, request.amountCents, currency);
        em.persist(payment);
        emitter.emit(EmitRequest.builder(PaymentEvents.PAYMENT_CAPTURED)
                .tenantId(merchant)
                .subject(payment.getId())
                .payload(payment.toJson())
                .build());
        if (failAfterEmit) {
            throw new Refused("failAfterEmit=true: refused after the event was emitted");
        }
        if (request.amountCents <= 0) {
            throw new Refused("amountCents must be positive, was " + request.amountCents);
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

    /** A refused payment: the container rolls the transaction back and hands this exception to the caller as is. */
    @ApplicationException(rollback = true)
    public static class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }
}
