package io.busflow.stage;

import io.busflow.data.ContentHash;
import java.util.Map;

/**
 * A fitted model as stored: its type, its media type, its state (JSON-shaped, with a {@code "type"} key) and,
 * for a model stored as a file, the file's name and bytes.
 *
 * @param type      the {@link ModelType#name()}
 * @param mediaType {@link #JSON} when {@code state} is the whole model, else the file's media type
 * @param state     the model's state; for a file artifact {@code {"type":…,"file":…,"sha256":…,"params":{…}}}
 * @param file      the file's path as the pipeline or request named it (for messages); null for JSON
 * @param bytes     the file's content; null for JSON
 */
public record Artifact(String type, String mediaType, Map<String, Object> state, String file, byte[] bytes) {

  /** The media type of models whose JSON state is the whole model. */
  public static final String JSON = "application/json";
  /** The state key naming the file of a file artifact. */
  public static final String FILE = "file";
  /** The state key holding the SHA-256 (hex) of a file artifact's bytes. */
  public static final String SHA256 = "sha256";

  /** A model whose state is all of it. */
  public static Artifact json(Map<String, Object> state) {
    return new Artifact(String.valueOf(state.get("type")), JSON, state, null, null);
  }

  /** Whether {@code state} names a file that holds the model ({@link #FILE}). */
  public static boolean namesFile(Map<String, Object> state) {
    return state.get(FILE) instanceof String;
  }

  /** The hex SHA-256 of {@code bytes}: a file artifact's content hash ({@link ContentHash#sha256}). */
  public static String sha256(byte[] bytes) {
    return ContentHash.sha256(bytes);
  }
}
