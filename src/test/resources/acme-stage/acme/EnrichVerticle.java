package acme;

import io.busflow.data.Batch;
import io.busflow.data.NumericColumn;
import io.busflow.pipeline.protocol.StageProtocol;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import java.util.List;

/** A stage of acme's own: adds the column "decade" (floor(age / 10); missing where age is). */
public class EnrichVerticle extends VerticleBase {

  @Override
  public Future<?> start() {
    StageProtocol.registerCodecs(vertx);                       // Apply and Batch, in one JVM and on the wire
    String address = config().getString("address", "acme.enrich");
    return vertx.eventBus().<StageProtocol.Apply>consumer(address, this::onApply).completion();
  }

  private void onApply(Message<StageProtocol.Apply> message) {
    Batch batch = message.body().batch();
    NumericColumn age = batch.numeric("age");
    double[] decade = new double[batch.rowCount()];
    for (int i = 0; i < decade.length; i++) {
      decade[i] = Math.floor(age.get(i) / 10);                 // NaN (missing) stays NaN
    }
    message.reply(batch.withColumns(List.of(new NumericColumn("decade", decade))));  // same rows, one more column
  }
}
