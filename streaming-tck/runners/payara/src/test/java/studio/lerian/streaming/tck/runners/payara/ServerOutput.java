package studio.lerian.streaming.tck.runners.payara;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;

/**
 * What Payara Micro prints while one deployment is under way. The Arquillian adapter echoes every line of the server's
 * output to the test JVM's {@code System.out} (its {@code outputToConsole} setting, on by default); while a capture is
 * open, {@code System.out} still prints everything and also keeps a copy.
 */
final class ServerOutput {

    private final PrintStream original;
    private final ByteArrayOutputStream copy = new ByteArrayOutputStream();

    private ServerOutput(PrintStream original) {
        this.original = original;
    }

    /**
     * Starts copying {@code System.out}.
     *
     * @return the open capture
     */
    static ServerOutput capture() {
        ServerOutput output = new ServerOutput(System.out);
        OutputStream tee = new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (output.copy) {
                    output.copy.write(b);
                }
                output.original.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (output.copy) {
                    output.copy.write(b, off, len);
                }
                output.original.write(b, off, len);
            }

            @Override
            public void flush() {
                output.original.flush();
            }
        };
        System.setOut(new PrintStream(tee, true, Charset.defaultCharset()));
        return output;
    }

    /**
     * Gives {@code System.out} back and returns what was printed since {@link #capture()}.
     *
     * @return the copied text
     */
    String release() {
        System.out.flush();
        System.setOut(original);
        synchronized (copy) {
            return copy.toString(Charset.defaultCharset());
        }
    }
}
