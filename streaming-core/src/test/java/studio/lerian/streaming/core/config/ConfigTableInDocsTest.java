package studio.lerian.streaming.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The configuration page's table ({@code docs/configuration.md}) is generated from {@link ConfigKey}: this test fails
 * when the two disagree, and its message carries the table to paste between the page's markers.
 */
class ConfigTableInDocsTest {

    private static final String START = "<!-- config-table:start -->";
    private static final String END = "<!-- config-table:end -->";

    static String render() {
        StringBuilder sb = new StringBuilder();
        sb.append("| Variable | Property | Default | Accepted | Meaning |\n");
        sb.append("|---|---|---|---|---|\n");
        for (ConfigKey k : ConfigKey.values()) {
            sb.append("| `").append(k.env()).append("` | `").append(k.property()).append("` | ")
                    .append(k.defaultValue().isEmpty() ? "" : "`" + k.defaultValue() + "`").append(" | ")
                    .append(k.accepted().replace("|", "\\|")).append(" | ")
                    .append(k.doc().replace("|", "\\|")).append(" |\n");
        }
        return sb.toString();
    }

    @Test
    void configurationPageTableMatchesTheConfigKeys() throws IOException {
        Path page = Path.of("..", "docs", "configuration.md");
        String text = Files.readString(page, StandardCharsets.UTF_8);
        int start = text.indexOf(START);
        int end = text.indexOf(END);
        assertTrue(start >= 0 && end > start, "docs/configuration.md must hold the markers " + START + " and " + END);
        String inPage = text.substring(start + START.length(), end).strip() + "\n";
        assertEquals(render(), inPage, "docs/configuration.md's table is stale; paste the expected table");
    }
}
