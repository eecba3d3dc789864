package studio.lerian.streaming.tck.support;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.EmptyAsset;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import studio.lerian.streaming.tck.Assertion;
import studio.lerian.streaming.tck.TckTags;
import studio.lerian.streaming.tck.spi.TckOutbox;
import studio.lerian.streaming.tck.spi.TckPorting;

/**
 * Builds the deployment of a TCK test class, on the client side: the given classes, the TCK's in-container helpers, a
 * {@code microprofile-config.properties} that enables streaming against the porting's broker, and whatever the porting
 * appends (the implementation, its outbox, and the porting's {@link TckOutbox} reader when it has one).
 *
 * <p>The configuration is the application's own (ordinal 100): environment variables and system properties set for the
 * server still override it, as MicroProfile Config orders sources.
 */
public final class TckDeployments {

    /** The CloudEvents source every TCK deployment uses. */
    public static final String SOURCE = "//lerian.tck/streaming-tck";

    /** Name of the system property that scales every wait of the TCK (a positive number, default 1). */
    public static final String TIMEOUT_MULTIPLIER = "streaming.tck.timeout.multiplier";

    private TckDeployments() {
    }

    /**
     * A deployment with streaming enabled against the porting's broker.
     *
     * @param name the archive name, without {@code .war}
     * @param classes the test's own beans, catalog providers and the test class
     * @return the archive
     */
    public static WebArchive war(String name, Class<?>... classes) {
        return war(name, Map.of(), classes);
    }

    /**
     * A deployment with streaming enabled against the porting's broker and extra configuration.
     *
     * @param name the archive name, without {@code .war}
     * @param config extra {@code streaming.*} properties, added after (and overriding) the defaults
     * @param classes the test's own beans, catalog providers and the test class
     * @return the archive
     */
    public static WebArchive war(String name, Map<String, String> config, Class<?>... classes) {
        TckPorting porting = TckPorting.load();
        String bootstrap = porting.bootstrapServers();

        Map<String, String> mp = new LinkedHashMap<>();
        mp.put("streaming.enabled", "true");
        mp.put("streaming.brokers", bootstrap);
        mp.put("streaming.cloudevents.source", SOURCE);
        mp.put("streaming.batch.linger.ms", "1");
        mp.putAll(config);

        WebArchive war = ShrinkWrap.create(WebArchive.class, name + ".war")
                .addClasses(classes)
                .addClasses(Assertion.class, TckTags.class, TckBroker.class, TckRecord.class, TckWait.class)
                .addClasses(TckTransactions.class, TckOutbox.class, TckOutbox.State.class)
                .addAsResource(new StringAsset(properties(mp)), "META-INF/microprofile-config.properties")
                .addAsResource(new StringAsset(properties(Map.of(
                        TckBroker.BOOTSTRAP, bootstrap,
                        TIMEOUT_MULTIPLIER, System.getProperty(TIMEOUT_MULTIPLIER, "1")))), TckBroker.RESOURCE)
                .addAsWebInfResource(EmptyAsset.INSTANCE, "beans.xml");
        porting.appendTo(war);
        return war;
    }

    private static String properties(Map<String, String> values) {
        StringBuilder out = new StringBuilder();
        values.forEach((k, v) -> out.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
        return out.toString();
    }
}
