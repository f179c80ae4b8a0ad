package io.busflow.pipeline;

import io.busflow.actor.BinaryCodec;
import io.busflow.actor.CodecProvider;
import io.busflow.pipeline.model.ModelProtocol;
import io.busflow.pipeline.preprocess.PreprocessProtocol;
import java.util.ArrayList;
import java.util.List;

/**
 * Lets the stage protocols' records that carry a batch travel on the event bus: the same instance inside
 * one JVM, a JSON head plus the batch's compact form across the cluster.
 */
public final class PipelineCodecs implements CodecProvider {

  @Override
  public List<BinaryCodec<?>> codecs() {
    List<BinaryCodec<?>> all = new ArrayList<>(PreprocessProtocol.codecs());
    all.addAll(ModelProtocol.codecs());
    all.addAll(StageProtocol.codecs());
    return all;
  }
}
