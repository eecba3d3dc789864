package studio.lerian.streaming.tck;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The documented behaviour a TCK test proves: a stable id and the README section that states it. */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Assertion {

    /**
     * A stable id, {@code <area>-<number>} (for example {@code inject-1}); listed in the TCK README.
     *
     * @return the id
     */
    String id();

    /**
     * The section of the README (the specification) that states the behaviour, for example {@code "README §Errors"}.
     *
     * @return the section
     */
    String spec();
}
