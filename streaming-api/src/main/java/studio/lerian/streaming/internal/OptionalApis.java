package studio.lerian.streaming.internal;

/**
 * Whether an optional API (MicroProfile Health, OpenTelemetry, Jakarta Concurrency, JTA) is on the class path, asked
 * without initializing anything, so that the code that needs it is never loaded where it is absent.
 */
public final class OptionalApis {

    private OptionalApis() {
    }

    /**
     * @param className a class of the API
     * @param loader the class loader of the code that would use it
     * @return whether the class can be loaded (a linkage failure counts as absent)
     */
    public static boolean present(String className, ClassLoader loader) {
        try {
            Class.forName(className, false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
