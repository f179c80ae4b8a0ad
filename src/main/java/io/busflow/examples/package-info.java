/**
 * Small actors that show how to write one: the tutorial's loader, preprocessor and model, each a few lines
 * on top of {@link io.busflow.actor.Actor}. Wiring level: nothing in busflow imports this package.
 */
package io.busflow.examples;
