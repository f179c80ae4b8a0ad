package io.busflow.pipeline.protocol;

import io.busflow.actor.BinaryCodec;
import io.busflow.actor.CodecProvider;
import java.util.ArrayList;
import java.util.List;

/**
 * Lets the stage protocols' records that carry a batch travel on the event bus: the same instance inside
 * one JVM, a JSON head plus the batch's compact form across the cluster.
 */
public final class PipelineCodecs implements CodecProvider {

  @Override
  public List<BinaryCodec<?>> codecs() {
    List<BinaryCodec<?>> all = new ArrayList<>(StageProtocol.codecs());
    all.addAll(PieceProtocol.codecs());
    return all;
  }
}
