/**
 * The generic actor kernel: an actor is a verticle whose mailbox is an event-bus address. Owns sequencing,
 * bounded mailboxes, replies and failure codes, deadlines, supervision, dead letters, graceful stop,
 * correlation ids and codecs. Knows nothing about data science; imports Vert.x core and {@code config}.
 * Users touch {@link io.busflow.actor.Actor}, {@link io.busflow.actor.ActorRef},
 * {@link io.busflow.actor.Actors}, {@link io.busflow.actor.ErrorCode} and
 * {@link io.busflow.actor.ActorException}; {@code internal} is not API.
 */
package io.busflow.actor;
