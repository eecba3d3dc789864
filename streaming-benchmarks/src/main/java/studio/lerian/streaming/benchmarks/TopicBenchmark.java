package studio.lerian.streaming.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import studio.lerian.streaming.wire.ResolvedEvent;
import studio.lerian.streaming.wire.Topics;

/** Topic derivation: {@code lerian.streaming.<resource>.<event>[.v<major>]} from the definition's attributes. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TopicBenchmark {

    private final String resourceType = "payment";
    private final String eventType = "captured";
    private final String v1 = "1.0.0";
    private final String v2 = "2.3.1-rc.1+build.7";
    private final ResolvedEvent event = Fixtures.event();

    /** @return the topic of a major-1 event (the common case: no version suffix) */
    @Benchmark
    public String topicV1() {
        return Topics.topic(resourceType, eventType, v1);
    }

    /** @return the topic of a major-2 event, whose semantic version is parsed */
    @Benchmark
    public String topicV2() {
        return Topics.topic(resourceType, eventType, v2);
    }

    /** @return the topic as the framer asks for it, from the resolved event */
    @Benchmark
    public String eventTopic() {
        return event.topic();
    }
}
