package studio.lerian.streaming.core.internal;

import java.util.List;
import java.util.concurrent.CancellationException;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.ThrottlingQuotaExceededException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import studio.lerian.streaming.ErrorClass;

/**
 * Maps a failed send to an {@link ErrorClass} (spec section 10.3, with Kafka's Java exceptions). Each rule is tried
 * against the whole cause chain before the next: cancellation anywhere, then the broker's answer anywhere, then a
 * timeout anywhere; everything else is {@link ErrorClass#BROKER_UNAVAILABLE}. The order matters because the client
 * wraps the broker's answer in its own timeout: a send to a missing topic throws a {@code TimeoutException} ("not
 * present in metadata") caused by {@code UnknownTopicOrPartitionException}, which is {@code topic_not_found}.
 */
public final class ErrorClassifier {

    private ErrorClassifier() {
    }

    /**
     * @param failure the failure of a send
     * @return its class
     */
    public static ErrorClass classify(Throwable failure) {
        List<Throwable> chain = Causes.of(failure);
        for (Throwable t : chain) {
            if (t instanceof InterruptedException || t instanceof InterruptException
                    || t instanceof CancellationException) {
                return ErrorClass.CONTEXT_CANCELED;
            }
        }
        for (Throwable t : chain) {
            ErrorClass c = brokersAnswer(t);
            if (c != null) {
                return c;
            }
        }
        for (Throwable t : chain) {
            if (t instanceof TimeoutException || t instanceof java.util.concurrent.TimeoutException
                    || t instanceof java.net.SocketTimeoutException) {
                return ErrorClass.NETWORK_TIMEOUT;
            }
        }
        return ErrorClass.BROKER_UNAVAILABLE;
    }

    private static ErrorClass brokersAnswer(Throwable t) {
        if (t instanceof AuthenticationException || t instanceof AuthorizationException) {
            return ErrorClass.AUTH_ERROR;
        }
        if (t instanceof UnknownTopicOrPartitionException) {
            return ErrorClass.TOPIC_NOT_FOUND;
        }
        if (t instanceof RecordTooLargeException || t instanceof RecordBatchTooLargeException
                || t instanceof InvalidRecordException || t instanceof CorruptRecordException
                || t instanceof SerializationException) {
            return ErrorClass.SERIALIZATION_ERROR;
        }
        if (t instanceof ThrottlingQuotaExceededException || t instanceof PolicyViolationException) {
            return ErrorClass.BROKER_OVERLOADED;
        }
        return null;
    }
}
