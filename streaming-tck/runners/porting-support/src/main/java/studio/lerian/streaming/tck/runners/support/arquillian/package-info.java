/**
 * Arquillian extensions the runners share: the mapping of a server's CDI deployment failure, reported by an adapter in
 * Arquillian's own terms, to the CDI {@code DeploymentException} the TCK expects.
 */
package studio.lerian.streaming.tck.runners.support.arquillian;
