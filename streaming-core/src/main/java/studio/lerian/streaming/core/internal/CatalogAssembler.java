package studio.lerian.streaming.core.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.ServiceLoader;
import studio.lerian.streaming.Catalog;
import studio.lerian.streaming.EventDefinition;
import studio.lerian.streaming.spi.CatalogProvider;

/**
 * Merges the definitions of every {@link CatalogProvider} (CDI beans first, then {@link ServiceLoader} providers not
 * already seen as beans) and every {@code @Produces EventDefinition} into one {@link Catalog}.
 */
public final class CatalogAssembler {

    private CatalogAssembler() {
    }

    /**
     * @param beanProviders the container's catalog providers (none without a container)
     * @param beanDefinitions the container's event definitions (none without a container)
     * @param loader where {@link ServiceLoader} looks for more providers
     * @return the merged catalog
     * @throws studio.lerian.streaming.StreamingException when two definitions share a key, or a provider fails
     */
    public static Catalog assemble(Iterable<CatalogProvider> beanProviders, Iterable<EventDefinition> beanDefinitions,
            ClassLoader loader) {
        List<EventDefinition> all = new ArrayList<>();
        List<Class<?>> seen = new ArrayList<>();
        for (CatalogProvider p : beanProviders) {
            seen.add(unproxied(p.getClass()));
            addAll(all, p);
        }
        for (CatalogProvider p : ServiceLoader.load(CatalogProvider.class, loader)) {
            if (!seen.contains(p.getClass())) {
                addAll(all, p);
            }
        }
        for (EventDefinition d : beanDefinitions) {
            all.add(d);
        }
        return Catalog.of(all);
    }

    private static void addAll(List<EventDefinition> all, CatalogProvider provider) {
        Collection<EventDefinition> defs = provider.definitions();
        if (defs == null) {
            throw new IllegalStateException("CatalogProvider " + provider.getClass().getName()
                    + " returned null definitions");
        }
        all.addAll(defs);
    }

    /** CDI client proxies subclass the bean class; compare the bean class itself. */
    private static Class<?> unproxied(Class<?> c) {
        Class<?> k = c;
        while (k.getSuperclass() != null && (k.isSynthetic() || k.getName().contains("$Proxy$")
                || k.getName().contains("$$"))) {
            k = k.getSuperclass();
        }
        return k;
    }
}
