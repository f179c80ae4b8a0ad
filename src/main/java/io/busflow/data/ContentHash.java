package io.busflow.data;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * busflow's one content hash: SHA-256. A fitted stage's id or version is {@code <prefix>-<16 hex digits>} of
 * the hash of its state's canonical text; a file artifact is named by the hash of its bytes.
 *
 * <p>Guarantees: equal states give equal ids whatever their map class or number type ({@code 1}, {@code 1L}
 * and {@code 1.0} are one number), so a state that travelled as JSON keeps its id; keys are taken in the
 * state's own order, which {@code toState()} fixes.
 */
public final class ContentHash {

  private ContentHash() {}

  /** {@code <prefix>-<16 hex digits>} of the SHA-256 of {@code state}'s canonical text. */
  public static String of(String prefix, Map<String, Object> state) {
    StringBuilder sb = new StringBuilder();
    write(state, sb);
    return prefix + "-" + sha256(sb.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 16);
  }

  /** The SHA-256 of {@code bytes}, 64 hex digits. */
  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
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
