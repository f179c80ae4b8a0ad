package io.busflow.pipeline.protocol;

import io.busflow.actor.BinaryCodec;
import io.busflow.actor.CodecProvider;
import io.busflow.data.Batch;
import io.busflow.data.BatchSerde;
import java.util.List;

/** Lets {@link Batch} travel on the event bus: the same instance in one JVM, {@link BatchSerde} on the wire. */
public final class BatchCodecs implements CodecProvider {

  @Override
  public List<BinaryCodec<?>> codecs() {
    return List.of(BinaryCodec.of(Batch.class, BatchSerde::encode, BatchSerde::decode));
  }
}
