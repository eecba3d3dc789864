package studio.lerian.streaming.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.EOFException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.ThrottlingQuotaExceededException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import studio.lerian.streaming.ErrorClass;

/** Spec section 10.3 with Kafka's Java exceptions: each failure maps to its class, bare or inside ExecutionException. */
class ErrorClassifierTest {

    static Stream<Arguments> mappings() {
        return Stream.of(
                Arguments.of(new RecordTooLargeException("MESSAGE_TOO_LARGE"), ErrorClass.SERIALIZATION_ERROR),
                Arguments.of(new CorruptRecordException("CORRUPT_MESSAGE"), ErrorClass.SERIALIZATION_ERROR),
                Arguments.of(new TopicAuthorizationException("TOPIC_AUTHORIZATION_FAILED"), ErrorClass.AUTH_ERROR),
                Arguments.of(new ClusterAuthorizationException("CLUSTER_AUTHORIZATION_FAILED"), ErrorClass.AUTH_ERROR),
                Arguments.of(new SaslAuthenticationException("SASL_AUTHENTICATION_FAILED"), ErrorClass.AUTH_ERROR),
                Arguments.of(new UnknownTopicOrPartitionException("UNKNOWN_TOPIC_OR_PARTITION"),
                        ErrorClass.TOPIC_NOT_FOUND),
                Arguments.of(new ThrottlingQuotaExceededException("THROTTLING_QUOTA_EXCEEDED"),
                        ErrorClass.BROKER_OVERLOADED),
                Arguments.of(new PolicyViolationException("POLICY_VIOLATION"), ErrorClass.BROKER_OVERLOADED),
                Arguments.of(new TimeoutException("Expiring 1 record(s) after 3000 ms"), ErrorClass.NETWORK_TIMEOUT),
                Arguments.of(new java.util.concurrent.TimeoutException("no ack before the deadline"),
                        ErrorClass.NETWORK_TIMEOUT),
                Arguments.of(new InterruptedException(), ErrorClass.CONTEXT_CANCELED),
                Arguments.of(new InterruptException(new InterruptedException()), ErrorClass.CONTEXT_CANCELED),
                Arguments.of(new CancellationException(), ErrorClass.CONTEXT_CANCELED),
                Arguments.of(new NetworkException("disconnected"), ErrorClass.BROKER_UNAVAILABLE),
                Arguments.of(new NotLeaderOrFollowerException("moved"), ErrorClass.BROKER_UNAVAILABLE),
                Arguments.of(new InvalidTopicException("INVALID_TOPIC_EXCEPTION"), ErrorClass.BROKER_UNAVAILABLE),
                Arguments.of(new KafkaException("unknown"), ErrorClass.BROKER_UNAVAILABLE),
                Arguments.of(new ConnectException("Connection refused"), ErrorClass.BROKER_UNAVAILABLE),
                Arguments.of(new EOFException(), ErrorClass.BROKER_UNAVAILABLE),
                Arguments.of(new IllegalStateException("anything else"), ErrorClass.BROKER_UNAVAILABLE));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("mappings")
    void bareFailureMapsToItsClass(Throwable failure, ErrorClass expected) {
        assertEquals(expected, ErrorClassifier.classify(failure));
    }

    @ParameterizedTest(name = "ExecutionException({0}) -> {1}")
    @MethodSource("mappings")
    void failureInsideExecutionExceptionMapsToTheSameClass(Throwable failure, ErrorClass expected) {
        assertEquals(expected, ErrorClassifier.classify(new ExecutionException(failure)));
        assertEquals(expected, ErrorClassifier.classify(new KafkaException("wrapped", new ExecutionException(failure))));
    }

    @ParameterizedTest(name = "{0} -> broker_unavailable")
    @MethodSource("nothing")
    void nothingToClassifyIsBrokerUnavailable(Throwable failure) {
        assertEquals(ErrorClass.BROKER_UNAVAILABLE, ErrorClassifier.classify(failure));
    }

    static Stream<Arguments> nothing() {
        return Stream.of(Arguments.of((Throwable) null), Arguments.of(new ExecutionException((Throwable) null)));
    }

    @Test
    void cancellationAnywhereInTheChainWinsOverTheBrokersAnswer() {
        Throwable timeoutCausedByInterrupt = new TimeoutException("waiting", new InterruptedException());
        assertEquals(ErrorClass.CONTEXT_CANCELED, ErrorClassifier.classify(timeoutCausedByInterrupt));
    }

    /**
     * The producer's answer to a send for a topic the broker does not have (and will not create): it waits for the
     * topic's metadata until max.block.ms, then throws a timeout whose cause is the broker's answer.
     */
    @Test
    void brokersAnswerAnywhereInTheChainWinsOverAnOuterTimeout() {
        Throwable missingTopic = new TimeoutException("Topic lerian.streaming.x not present in metadata after 1500 ms.",
                new UnknownTopicOrPartitionException("This server does not host this topic-partition."));
        assertEquals(ErrorClass.TOPIC_NOT_FOUND, ErrorClassifier.classify(missingTopic));
        assertEquals(ErrorClass.TOPIC_NOT_FOUND, ErrorClassifier.classify(new ExecutionException(missingTopic)));
        assertEquals(ErrorClass.AUTH_ERROR, ErrorClassifier.classify(
                new TimeoutException("t", new TopicAuthorizationException("TOPIC_AUTHORIZATION_FAILED"))));
        assertEquals(ErrorClass.SERIALIZATION_ERROR, ErrorClassifier.classify(
                new TimeoutException("t", new RecordTooLargeException("MESSAGE_TOO_LARGE"))));
        assertEquals(ErrorClass.BROKER_OVERLOADED, ErrorClassifier.classify(
                new TimeoutException("t", new ThrottlingQuotaExceededException("THROTTLING_QUOTA_EXCEEDED"))));
    }

    @Test
    void timeoutCausedByNothingClassifiableStaysATimeout() {
        assertEquals(ErrorClass.NETWORK_TIMEOUT, ErrorClassifier.classify(
                new TimeoutException("Expiring 1 record(s)", new NetworkException("disconnected"))));
        assertEquals(ErrorClass.NETWORK_TIMEOUT, ErrorClassifier.classify(
                new NetworkException("disconnected", new TimeoutException("t"))));
    }

    @Test
    void firstClassifiableCauseAlongTheChainWins() {
        Throwable tooLargeCausedByTimeout = new RecordTooLargeException("too large", new TimeoutException("t"));
        assertEquals(ErrorClass.SERIALIZATION_ERROR, ErrorClassifier.classify(tooLargeCausedByTimeout));
    }

    @Test
    void aCauseChainThatLoopsBackEndsAndIsClassified() {
        // initCause refuses only a failure as its own cause: two failures can cause each other.
        KafkaException outer = new KafkaException("outer");
        NetworkException inner = new NetworkException("inner");
        outer.initCause(inner);
        inner.initCause(outer);
        assertEquals(ErrorClass.BROKER_UNAVAILABLE, assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> ErrorClassifier.classify(outer)));
    }
}
