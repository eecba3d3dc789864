package studio.lerian.streaming.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads the golden-vector files under {@code src/test/resources/golden} (format described in the README there): one
 * row a line, {@code |}-separated ({@code .csv}) or TAB-separated ({@code .tsv}, where {@code \n} stands for a line
 * feed); {@code #} comments and empty lines skipped.
 */
public final class Golden {

    private Golden() {
    }

    /**
     * The rows of a golden file.
     *
     * @param name the file name under {@code golden/}
     * @param columns how many columns every row must have
     * @return the rows, each an array of {@code columns} values
     */
    public static List<String[]> rows(String name, int columns) {
        boolean tsv = name.endsWith(".tsv");
        String separator = tsv ? "\t" : Pattern.quote("|");
        List<String[]> rows = new ArrayList<>();
        try (InputStream in = Golden.class.getResourceAsStream("/golden/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing golden file " + name);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            int number = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                number++;
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] cells = line.split(separator, -1);
                if (cells.length != columns) {
                    throw new IllegalStateException(name + ":" + number + ": expected " + columns + " columns, got "
                            + cells.length + ": " + line);
                }
                if (tsv) {
                    for (int i = 0; i < cells.length; i++) {
                        cells[i] = cells[i].replace("\\n", "\n");
                    }
                }
                rows.add(cells);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (rows.isEmpty()) {
            throw new IllegalStateException("golden file " + name + " has no rows");
        }
        return rows;
    }
}
