package studio.lerian.streaming.cdi.support;

import jakarta.enterprise.inject.spi.Extension;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import org.jboss.weld.bootstrap.api.CDI11Bootstrap;
import org.jboss.weld.bootstrap.api.ServiceRegistry;
import org.jboss.weld.bootstrap.spi.BeanDeploymentArchive;
import org.jboss.weld.bootstrap.spi.BeansXml;
import org.jboss.weld.bootstrap.spi.CDI11Deployment;
import org.jboss.weld.bootstrap.spi.Deployment;
import org.jboss.weld.bootstrap.spi.Metadata;
import org.jboss.weld.environment.deployment.WeldBeanDeploymentArchive;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.resources.spi.ResourceLoader;

/**
 * Weld SE with the bean archive layout of Payara (and GlassFish): each type that an extension adds from a jar without
 * {@code beans.xml}, and the extension itself, lives in a bean archive apart, which the application's archives see but
 * which sees none of the application's beans. Here one archive holds all such types (the library's, SmallRye's), which
 * see each other, as a runtime's own beans are seen on Payara.
 */
public final class ExtensionTypesApartWeld extends Weld {

    /** A container of that layout; configure it like any {@link Weld}. */
    public ExtensionTypesApartWeld() {
        super("extension-types-apart-" + System.nanoTime());
    }

    @Override
    protected Deployment createDeployment(ResourceLoader resourceLoader, CDI11Bootstrap bootstrap) {
        return new ExtensionTypesApart((CDI11Deployment) super.createDeployment(resourceLoader, bootstrap));
    }

    /**
     * The application's bean archives as Weld SE builds them, plus one archive for every other type (those the
     * extensions add, and the extensions themselves): the application's archives see it, it sees only itself.
     */
    private static final class ExtensionTypesApart implements CDI11Deployment {

        private final CDI11Deployment application;
        private final WeldBeanDeploymentArchive apart;

        ExtensionTypesApart(CDI11Deployment application) {
            this.application = application;
            this.apart = new WeldBeanDeploymentArchive("extension-types", new HashSet<>(), BeansXml.EMPTY_BEANS_XML);
            apart.getServices().addAll(application.getServices().entrySet());
            for (BeanDeploymentArchive archive : application.getBeanDeploymentArchives()) {
                WeldBeanDeploymentArchive app = (WeldBeanDeploymentArchive) archive;
                Set<WeldBeanDeploymentArchive> visible = new HashSet<>();
                app.getBeanDeploymentArchives().forEach(a -> visible.add((WeldBeanDeploymentArchive) a));
                visible.add(apart);
                app.setAccessibleBeanDeploymentArchives(visible);
            }
        }

        @Override
        public Collection<BeanDeploymentArchive> getBeanDeploymentArchives() {
            return application.getBeanDeploymentArchives();
        }

        @Override
        public BeanDeploymentArchive loadBeanDeploymentArchive(Class<?> beanClass) {
            return getBeanDeploymentArchive(beanClass);
        }

        @Override
        public BeanDeploymentArchive getBeanDeploymentArchive(Class<?> beanClass) {
            BeanDeploymentArchive own = application.getBeanDeploymentArchive(beanClass);
            return own != null ? own : apart;
        }

        @Override
        public ServiceRegistry getServices() {
            return application.getServices();
        }

        @Override
        public Iterable<Metadata<Extension>> getExtensions() {
            return application.getExtensions();
        }
    }
}
