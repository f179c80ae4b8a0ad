package io.busflow.testkit;

import io.busflow.data.Batch;
import io.busflow.data.NumericColumn;
import io.busflow.pipeline.protocol.StageProtocol;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import java.util.List;

/**
 * A user's stage actor, written as the README shows: a plain verticle answering {@link StageProtocol.Apply}
 * at its own address with the batch plus a column {@code decade} ({@code floor(age / 10)}, missing where age
 * is). {@link Behaviour} makes it misbehave for the error tests.
 */
public final class DecadeStage extends VerticleBase {

  /** How it answers. */
  public enum Behaviour {
    /** The batch with {@code decade} added. */
    ADD_DECADE,
    /** The batch less its last row. */
    DROP_A_ROW,
    /** Never. */
    NEVER_ANSWER
  }

  private final String address;
  private final Behaviour behaviour;

  public DecadeStage(String address, Behaviour behaviour) {
    this.address = address;
    this.behaviour = behaviour;
  }

  @Override
  public Future<?> start() {
    StageProtocol.registerCodecs(vertx);
    return vertx.eventBus().<StageProtocol.Apply>consumer(address, this::onApply).completion();
  }

  private void onApply(Message<StageProtocol.Apply> m) {
    Batch b = m.body().batch();
    switch (behaviour) {
      case ADD_DECADE -> m.reply(withDecade(b));
      case DROP_A_ROW -> m.reply(b.slice(0, b.rowCount() - 1));
      case NEVER_ANSWER -> { }
    }
  }

  /** {@code b} with the column {@code decade}. */
  public static Batch withDecade(Batch b) {
    NumericColumn age = b.numeric("age");
    double[] decade = new double[b.rowCount()];
    for (int i = 0; i < decade.length; i++) {
      decade[i] = Math.floor(age.get(i) / 10);
    }
    return b.withColumns(List.of(new NumericColumn("decade", decade)));
  }
}
