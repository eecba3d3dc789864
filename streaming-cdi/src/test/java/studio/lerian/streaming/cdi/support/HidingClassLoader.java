package studio.lerian.streaming.cdi.support;

import java.io.IOException;
import java.io.InputStream;

/**
 * A class loader for tests of an optional dependency's absence: it hides the classes of one package prefix (as if the
 * dependency were not deployed) and loads the classes of another prefix (the implementation under test) itself, so
 * that they link against what it shows; everything else comes from the parent.
 */
public final class HidingClassLoader extends ClassLoader {

    private final String hidden;
    private final String own;

    /**
     * @param parent where every other class comes from
     * @param hidden the package prefix that is not there, e.g. {@code io.opentelemetry.}
     * @param own the package prefix loaded (and linked) by this loader, e.g. the implementation's internal package
     */
    public HidingClassLoader(ClassLoader parent, String hidden, String own) {
        super(parent);
        this.hidden = hidden;
        this.own = own;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (name.startsWith(hidden)) {
            throw new ClassNotFoundException(name + " (hidden)");
        }
        if (!name.startsWith(own)) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                    if (in == null) {
                        throw new ClassNotFoundException(name);
                    }
                    byte[] bytes = in.readAllBytes();
                    c = defineClass(name, bytes, 0, bytes.length);
                } catch (IOException e) {
                    throw new ClassNotFoundException(name, e);
                }
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }
}
