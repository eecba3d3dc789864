package studio.lerian.streaming.tck;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The documented behaviour a TCK test proves: a stable id and the documentation that states it. */
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
     * Where the documentation (the specification) states the behaviour: references separated by {@code "; "}, each
     * a document of the repository ({@code README} or a path such as {@code docs/outbox.md}), then optionally
     * {@code " §"} and one of its headings, then optionally a note in parentheses, for example
     * {@code "docs/outbox.md §The relay; docs/errors.md (caller errors)"}.
     *
     * @return the references
     */
    String spec();
}
