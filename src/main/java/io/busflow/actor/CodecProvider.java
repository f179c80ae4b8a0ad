package io.busflow.actor;

import java.util.List;

/**
 * Supplies message codecs that busflow registers on every Vert.x instance it runs in (found through
 * {@link java.util.ServiceLoader}: list implementations in {@code META-INF/services}). Every node of a
 * cluster must see the same providers.
 */
public interface CodecProvider {

  List<BinaryCodec<?>> codecs();
}
