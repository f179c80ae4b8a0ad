/**
 * Kernel internals: counters, registry and the cluster-wide directory of actors, reply routing, dead letters,
 * codecs. Not API; may change freely.
 */
package io.busflow.actor.internal;
