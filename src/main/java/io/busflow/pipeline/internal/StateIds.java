package io.busflow.pipeline.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;

/** Content ids of JSON-shaped state: {@code <prefix>-<16 hex digits of the SHA-256 of its JSON text>}. */
public final class StateIds {

  private StateIds() {}

  /** The id of {@code state}, which should be in its normalized ({@code toState()}) form. */
  public static String of(String prefix, Map<String, Object> state) {
    byte[] text = JsonShapes.toJson(state).encode().getBytes(StandardCharsets.UTF_8);
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(text);
      StringBuilder sb = new StringBuilder(prefix).append('-');
      for (int i = 0; i < 8; i++) {
        sb.append(String.format("%02x", h[i]));
      }
      return sb.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
