/**
 * Wiring on top of everything: the node verticle the launcher deploys ({@link io.busflow.BusflowNode}),
 * the actor types it knows, and the command line. Nothing imports this package.
 */
package io.busflow;
