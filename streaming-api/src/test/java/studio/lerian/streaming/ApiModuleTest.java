package studio.lerian.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleDescriptor.Exports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * What the API module shows an application on the module path: its API, the SPI, the test doubles and the wire rules,
 * and nothing of the code shared by the implementation modules; it requires nothing beyond the JDK's base module, and
 * declares the services it looks up.
 */
class ApiModuleTest {

    private static ModuleDescriptor descriptor() throws IOException {
        try (InputStream in = Files.newInputStream(Path.of("target", "classes", "module-info.class"))) {
            return ModuleDescriptor.read(in);
        }
    }

    @Test
    void applicationsSeeTheApiTheSpiTheTestDoublesAndTheWireRules() throws IOException {
        Set<String> toEveryone = new TreeSet<>();
        for (Exports e : descriptor().exports()) {
            if (!e.isQualified()) {
                toEveryone.add(e.source());
            }
        }
        assertEquals(Set.of("studio.lerian.streaming", "studio.lerian.streaming.spi",
                "studio.lerian.streaming.testing", "studio.lerian.streaming.wire"), toEveryone);
    }

    @Test
    void theSharedInternalsAreExportedToTheImplementationModulesOnly() throws IOException {
        Map<String, Set<String>> qualified = new TreeMap<>();
        for (Exports e : descriptor().exports()) {
            if (e.isQualified()) {
                qualified.put(e.source(), new TreeSet<>(e.targets()));
            }
        }
        assertEquals(Map.of("studio.lerian.streaming.internal", Set.of("studio.lerian.streaming.kafka",
                "studio.lerian.streaming.core", "studio.lerian.streaming.cdi", "studio.lerian.streaming.json",
                "studio.lerian.streaming.outbox.jpa")), qualified);
    }

    @Test
    void itNeedsNothingButTheJdkAndLooksUpPayloadSerializers() throws IOException {
        ModuleDescriptor d = descriptor();
        assertEquals("studio.lerian.streaming.api", d.name());
        assertEquals(Set.of("java.base"), d.requires().stream().map(ModuleDescriptor.Requires::name)
                .collect(java.util.stream.Collectors.toSet()));
        assertEquals(Set.of("studio.lerian.streaming.spi.PayloadSerializer"), d.uses());
        assertEquals(Set.of(), d.opens());
    }
}
