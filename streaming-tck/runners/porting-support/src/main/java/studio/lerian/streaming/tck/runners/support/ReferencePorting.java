package studio.lerian.streaming.tck.runners.support;

import java.io.File;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import studio.lerian.streaming.tck.spi.TckPorting;

/**
 * The porting of the TCK to the reference implementation, for any runtime: the run's broker ({@link RunBroker}), and
 * the implementation's jars ({@link ImplementationJars}) in {@code WEB-INF/lib} of every deployment. A runner
 * registers a subclass and adds what its runtime needs besides in {@link #appendRuntimeParts(WebArchive)}.
 */
public abstract class ReferencePorting implements TckPorting {

    /** For subclasses. */
    protected ReferencePorting() {
    }

    @Override
    public String bootstrapServers() {
        return RunBroker.get().bootstrap();
    }

    @Override
    public void stopBroker() {
        RunBroker.get().stop();
    }

    @Override
    public void startBroker() {
        RunBroker.get().start();
    }

    @Override
    public final void appendTo(WebArchive archive) {
        archive.addAsLibraries(ImplementationJars.list().toArray(File[]::new));
        appendRuntimeParts(archive);
    }

    /**
     * Adds what this runtime needs in a deployment besides the implementation's jars; nothing by default.
     *
     * @param archive the deployment being built
     */
    protected void appendRuntimeParts(WebArchive archive) {
    }
}
