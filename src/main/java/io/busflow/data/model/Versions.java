package io.busflow.data.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;

/** Content versions of JSON-shaped state: a canonical text form hashed with SHA-256. */
final class Versions {

  private Versions() {
  }

  static String of(String type, Map<String, Object> state) {
    StringBuilder sb = new StringBuilder();
    write(state, sb);
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
      StringBuilder hex = new StringBuilder(type).append('-');
      for (int i = 0; i < 8; i++) {
        hex.append(String.format("%02x", h[i]));
      }
      return hex.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static void write(Object v, StringBuilder sb) {
    if (v instanceof Map<?, ?> m) {
      sb.append('{');
      m.forEach((k, x) -> {
        sb.append('"').append(k).append("\":");
        write(x, sb);
        sb.append(',');
      });
      sb.append('}');
    } else if (v instanceof List<?> l) {
      sb.append('[');
      l.forEach(x -> {
        write(x, sb);
        sb.append(',');
      });
      sb.append(']');
    } else if (v instanceof Number n) {
      sb.append(n.doubleValue());
    } else if (v instanceof String s) {
      sb.append('"').append(s.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
    } else {
      sb.append(v);
    }
  }
}
