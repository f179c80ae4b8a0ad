package io.busflow.pipeline.internal;

import io.busflow.data.Batch;
import io.busflow.data.BatchSerde;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The wire form of a protocol record that carries a batch: a JSON head with the record's other fields,
 * then the batch in {@link BatchSerde}'s compact form. Used only across the cluster; inside one JVM the
 * record itself is handed over.
 */
public final class Wire {

  /** A decoded record: its head and its batch (null when it carries none). */
  public record Parts(JsonObject head, Batch batch) {}

  private Wire() {}

  public static byte[] encode(JsonObject head, Batch batch) {
    byte[] h = head.encode().getBytes(StandardCharsets.UTF_8);
    byte[] b = batch == null ? new byte[0] : BatchSerde.encode(batch);
    return ByteBuffer.allocate(8 + h.length + b.length).putInt(h.length).put(h).putInt(b.length).put(b).array();
  }

  public static Parts decode(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    byte[] h = new byte[in.getInt()];
    in.get(h);
    int batchLength = in.getInt();
    Batch batch = batchLength == 0 ? null : BatchSerde.decode(in.slice());
    return new Parts(new JsonObject(new String(h, StandardCharsets.UTF_8)), batch);
  }
}
