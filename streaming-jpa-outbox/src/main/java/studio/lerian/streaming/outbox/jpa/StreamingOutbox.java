package studio.lerian.streaming.outbox.jpa;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.enterprise.util.AnnotationLiteral;
import jakarta.inject.Qualifier;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * Marks what the application hands to the outbox: the {@code EntityManagerFactory} of the persistence unit that holds
 * the outbox table (required), and optionally the {@code EntityManager} of its current unit of work (only needed for
 * {@code RESOURCE_LOCAL} units, so that the outbox row joins the caller's resource-local transaction).
 *
 * <pre>{@code
 * @Produces @StreamingOutbox @PersistenceUnit(unitName = "orders")
 * EntityManagerFactory outboxUnit;
 * }</pre>
 *
 * @see studio.lerian.streaming.outbox.jpa
 */
@Qualifier
@Documented
@Retention(RUNTIME)
@Target({TYPE, METHOD, FIELD, PARAMETER})
public @interface StreamingOutbox {

    /** The annotation as a value, for programmatic lookups. */
    final class Literal extends AnnotationLiteral<StreamingOutbox> implements StreamingOutbox {

        private static final long serialVersionUID = 1L;

        /** The only instance. */
        public static final Literal INSTANCE = new Literal();

        private Literal() {
        }
    }
}
