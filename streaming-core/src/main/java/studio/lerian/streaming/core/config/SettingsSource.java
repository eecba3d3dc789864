package studio.lerian.streaming.core.config;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;

/**
 * Where {@link ConfigKey} values come from outside a container: a lookup of raw values by property name
 * ({@code streaming.brokers}), and every name the source holds (to find the Kafka client properties passed through).
 * MicroProfile Config plays this part in the CDI module; the engine's builder and the re-drive command-line tool use
 * these sources.
 *
 * @param lookup the raw value of a property, {@code null} when unset
 * @param names every property and environment variable name the source holds
 */
public record SettingsSource(Function<String, String> lookup, Iterable<String> names) {

    /**
     * @param lookup the raw value of a property, {@code null} when unset; must not be {@code null}
     * @param names every property and environment variable name the source holds; must not be {@code null}
     */
    public SettingsSource {
        Objects.requireNonNull(lookup, "lookup");
        Objects.requireNonNull(names, "names");
    }

    /**
     * System properties by their property names, else environment variables by the names MicroProfile Config maps
     * them to: a system property wins over a variable, as under MicroProfile Config's default ordinals.
     *
     * @param environment the environment variables, e.g. {@code System.getenv()}
     * @param systemProperties the system properties, e.g. {@code System.getProperties()} (read at each lookup)
     * @return the source
     */
    public static SettingsSource of(Map<String, String> environment, Properties systemProperties) {
        Set<String> names = new HashSet<>(systemProperties.stringPropertyNames());
        names.addAll(environment.keySet());
        return new SettingsSource(property -> {
            String value = systemProperties.getProperty(property);
            return value != null ? value : variable(environment, property);
        }, names);
    }

    /**
     * A map keyed by property names ({@code streaming.brokers}) or variable names ({@code STREAMING_BROKERS}); a
     * property name wins where both are given.
     *
     * @param settings the settings; copied
     * @return the source
     */
    public static SettingsSource of(Map<String, String> settings) {
        Map<String, String> copy = new HashMap<>(settings);
        return new SettingsSource(property -> variable(copy, property), copy.keySet());
    }

    /**
     * MicroProfile Config's environment lookup: the exact name, else the name with every character that is not a
     * letter or digit replaced by {@code _}, in upper case.
     */
    private static String variable(Map<String, String> variables, String property) {
        String value = variables.get(property);
        return value != null ? value
                : variables.get(property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT));
    }
}
