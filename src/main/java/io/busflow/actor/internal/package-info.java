/** Kernel internals: counters, registry, reply routing, dead letters, codecs. Not API; may change freely. */
package io.busflow.actor.internal;
