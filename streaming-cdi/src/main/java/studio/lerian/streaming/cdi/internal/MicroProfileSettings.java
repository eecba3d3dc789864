package studio.lerian.streaming.cdi.internal;

import org.eclipse.microprofile.config.Config;
import studio.lerian.streaming.core.internal.config.StreamingConfig;
import studio.lerian.streaming.core.internal.config.StreamingConfigLoader;

/**
 * The engine's settings read from MicroProfile Config ({@code STREAMING_*} variables, {@code streaming.*}
 * properties).
 */
public final class MicroProfileSettings {

    private MicroProfileSettings() {
    }

    /**
     * Loads and validates the settings.
     *
     * @param config the configuration; must not be {@code null}
     * @return the validated configuration
     * @throws studio.lerian.streaming.StreamingException a caller-correctable code naming the key, the value and the
     *         accepted values
     */
    public static StreamingConfig load(Config config) {
        return StreamingConfigLoader.load(property -> config.getOptionalValue(property, String.class).orElse(null),
                config.getPropertyNames());
    }
}
