package io.busflow.pipeline;

import io.busflow.actor.Actors;
import io.busflow.actor.BinaryCodec;
import io.busflow.data.Batch;
import io.busflow.data.BatchSerde;
import io.vertx.core.Vertx;
import java.util.List;

/**
 * What busflow sends to a user's own stage: an actor at an address the user owns, named in a pipeline as a
 * preprocessing step {@code {"actor": {"address": "acme.enrich"}}} (README, "Writing a stage actor").
 *
 * <ul>
 *   <li>{@link Apply} (a record with a batch) → a {@link Batch}: the same rows in the same order; the stage may
 *       add columns or replace them ({@link Batch#withColumns}). Any other reply, or another number of rows,
 *       fails the job with {@code BAD_REQUEST} naming the address; a failure reply
 *       ({@code message.fail(code, text)}) fails it with that code and text.</li>
 * </ul>
 * Inside one JVM the records are handed over as they are; across the cluster an {@link Apply} and a
 * {@link Batch} travel in {@link BatchSerde}'s compact form. A stage's node registers busflow's codecs with
 * {@link #registerCodecs(Vertx)} before it registers its consumer.
 */
public final class StageProtocol {

  private StageProtocol() {}

  /** Apply the stage to {@code batch}; answer with a batch of as many rows, in the same order. */
  public record Apply(Batch batch) {}

  /** Registers the codecs of {@link Apply}, {@link Batch} and busflow's other messages on {@code vertx}, once. */
  public static void registerCodecs(Vertx vertx) {
    Actors.registerCodecs(vertx);
  }

  /** The codecs of this protocol's records. */
  static List<BinaryCodec<?>> codecs() {
    return List.of(BinaryCodec.of(Apply.class, a -> BatchSerde.encode(a.batch()), b -> new Apply(BatchSerde.decode(b))));
  }
}
