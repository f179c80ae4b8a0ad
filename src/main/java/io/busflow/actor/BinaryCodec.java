package io.busflow.actor;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import java.util.function.Function;

/**
 * A codec for an immutable type: inside one JVM the same instance is handed over (no copy); across the
 * cluster wire it travels as the bytes {@code encode} makes, length-prefixed.
 */
public final class BinaryCodec<T> implements MessageCodec<T, T> {

  private final Class<T> type;
  private final Function<T, byte[]> encode;
  private final Function<byte[], T> decode;

  private BinaryCodec(Class<T> type, Function<T, byte[]> encode, Function<byte[], T> decode) {
    this.type = type;
    this.encode = encode;
    this.decode = decode;
  }

  /** A codec for {@code type}; instances of it must not change once sent. */
  public static <T> BinaryCodec<T> of(Class<T> type, Function<T, byte[]> encode, Function<byte[], T> decode) {
    return new BinaryCodec<>(type, encode, decode);
  }

  public Class<T> type() {
    return type;
  }

  @Override
  public void encodeToWire(Buffer buffer, T value) {
    byte[] bytes = encode.apply(value);
    buffer.appendInt(bytes.length).appendBytes(bytes);
  }

  @Override
  public T decodeFromWire(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    return decode.apply(buffer.getBytes(pos + 4, pos + 4 + length));
  }

  @Override
  public T transform(T value) {
    return value;
  }

  @Override
  public String name() {
    return "busflow." + type.getName();
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
