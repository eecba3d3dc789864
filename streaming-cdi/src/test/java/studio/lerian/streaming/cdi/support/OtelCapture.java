package studio.lerian.streaming.cdi.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import jakarta.enterprise.inject.Produces;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An in-memory OpenTelemetry SDK for one test, offered to the container as the {@code OpenTelemetry} CDI bean that
 * MicroProfile Telemetry would provide: start one, then add {@link Producer} to the container's bean classes.
 */
public final class OtelCapture implements AutoCloseable {

    private static volatile OtelCapture current;

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final InMemoryMetricReader metrics = InMemoryMetricReader.create();
    private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
            .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
            .build();

    private OtelCapture() {
    }

    /** @return a new capture, the one {@link Producer} offers from now on */
    public static OtelCapture start() {
        OtelCapture c = new OtelCapture();
        current = c;
        return c;
    }

    /** The application's {@code OpenTelemetry} bean. */
    public static class Producer {
        @Produces
        OpenTelemetry openTelemetry() {
            return current.sdk;
        }
    }

    /** @return the spans ended so far */
    public List<SpanData> spans() {
        return spans.getFinishedSpanItems();
    }

    /** @return the spans named so */
    public List<SpanData> spans(String name) {
        return spans().stream().filter(s -> s.getName().equals(name)).toList();
    }

    /** @return every metric collected now */
    public Collection<MetricData> metrics() {
        return metrics.collectAllMetrics();
    }

    /** @return the metric of that name collected now, if it has points */
    public Optional<MetricData> metric(String name) {
        return metrics().stream().filter(m -> m.getName().equals(name)).findFirst();
    }

    /** @return the value of a counter's point with exactly these labels; 0 when there is none */
    public long count(String name, Attributes labels) {
        return metric(name).map(m -> m.getLongSumData().getPoints().stream()
                .filter(p -> p.getAttributes().equals(labels)).mapToLong(LongPointData::getValue).sum())
                .orElse(0L);
    }

    /** @return the sum of a counter over all its points */
    public long total(String name) {
        return metric(name).map(m -> m.getLongSumData().getPoints().stream().mapToLong(LongPointData::getValue)
                .sum()).orElse(0L);
    }

    /** @return the value of a label-less gauge; empty when not observed */
    public Optional<Long> gauge(String name) {
        return metric(name).flatMap(m -> m.getLongGaugeData().getPoints().stream().findFirst())
                .map(LongPointData::getValue);
    }

    /** @return the histogram point with exactly these labels */
    public Optional<HistogramPointData> histogram(String name, Attributes labels) {
        return metric(name).flatMap(m -> m.getHistogramData().getPoints().stream()
                .filter(p -> p.getAttributes().equals(labels)).findFirst());
    }

    /** The hard rule of spec section 12.1: no metric point anywhere carries a tenant. */
    public void assertNoTenantLabel() {
        Set<String> forbidden = Set.of("tenant", "tenant_id", "tenant.id", "tenantid");
        List<String> offenders = new ArrayList<>();
        Collection<MetricData> all = metrics();
        for (MetricData m : all) {
            for (PointData p : m.getData().getPoints()) {
                for (AttributeKey<?> key : p.getAttributes().asMap().keySet()) {
                    if (forbidden.contains(key.getKey().toLowerCase(java.util.Locale.ROOT))) {
                        offenders.add(m.getName() + p.getAttributes());
                    }
                }
            }
        }
        assertTrue(offenders.isEmpty(), "metric points with a tenant label: " + offenders);
        assertTrue(all.stream().anyMatch(m -> m.getName().startsWith("streaming_")), "nothing was collected");
    }

    /**
     * @param expected the label names the metric's points must have, exactly
     * @param name the metric
     */
    public void assertLabelNames(String name, Set<String> expected) {
        MetricData m = metric(name).orElseThrow(() -> new AssertionError("no metric " + name));
        for (PointData p : m.getData().getPoints()) {
            Set<String> names = new java.util.TreeSet<>();
            p.getAttributes().forEach((k, v) -> names.add(k.getKey()));
            assertEquals(new java.util.TreeSet<>(expected), names, name + p.getAttributes());
        }
    }

    @Override
    public void close() {
        sdk.close();
        if (current == this) {
            current = null;
        }
    }
}
