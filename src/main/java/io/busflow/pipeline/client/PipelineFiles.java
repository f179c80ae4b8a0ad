package io.busflow.pipeline.client;

import io.busflow.actor.ActorException;
import io.busflow.actor.ErrorCode;
import io.busflow.config.ConfigException;
import io.busflow.config.JsonProblems;
import io.busflow.data.transform.SpecReader;
import io.busflow.pipeline.protocol.PipelineDefinition;
import io.busflow.pipeline.protocol.PipelineProtocol;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Pipeline definitions by name: the file {@code NAME.json} of the pipelines directory. Blocking file
 * access: call from a worker thread.
 */
public final class PipelineFiles {

  private PipelineFiles() {}

  /** The file of pipeline {@code name} in {@code dir}. */
  public static Path file(String dir, String name) {
    return Path.of(dir, name + ".json");
  }

  /**
   * The JSON of pipeline {@code name}: BAD_REQUEST for a name that is not plain or a file that is not JSON,
   * NOT_FOUND listing the known pipelines when there is no such file.
   */
  public static JsonObject read(String dir, String name) throws IOException {
    if (!PipelineProtocol.validId(name)) {
      throw ActorException.badRequest("pipeline name " + SpecReader.abbreviate(name) + " is not a plain name (1 to 64 "
          + "letters, digits, '.', '_', '-'); name a file of the pipelines directory '" + dir + "' without '.json'");
    }
    Path file = file(dir, name);
    if (!Files.isRegularFile(file)) {
      throw ActorException.notFound("no pipeline '" + name + "' in '" + dir + "'; known: " + known(dir));
    }
    return parse(file.toString(), Files.readString(file));
  }

  /**
   * The JSON object {@code text} of the pipeline file {@code file} (as the user named it); BAD_REQUEST naming the
   * file, the line and column and the reason when it is not valid JSON, or when it holds no JSON object.
   */
  public static JsonObject parse(String file, String text) {
    if (text.isBlank()) {
      throw ActorException.badRequest("pipeline file '" + file + "' is empty; a pipeline file is one JSON object "
          + "such as {\"source\": …, \"label\": …, \"model\": …}");
    }
    Object value;
    try {
      value = Json.decodeValue(text);
    } catch (DecodeException e) {
      throw ActorException.badRequest("pipeline file '" + file + "' is not valid JSON: " + JsonProblems.describe(e)
          + "; fix it there");
    }
    if (value instanceof JsonObject o) {
      return o;
    }
    throw ActorException.badRequest("pipeline file '" + file + "' holds " + (value == null ? "null"
        : value instanceof JsonArray ? "a JSON array" : "the value " + SpecReader.abbreviate(value))
        + ", not an object; a pipeline file is one JSON object such as {\"source\": …, \"label\": …, \"model\": …}");
  }

  /** The names of the pipelines in {@code dir}, sorted; empty when the directory cannot be read. */
  public static List<String> known(String dir) {
    try (Stream<Path> files = Files.list(Path.of(dir))) {
      return files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".json"))
          .map(f -> f.substring(0, f.length() - ".json".length())).sorted().toList();
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }

  /** {@code json} as the definition of pipeline {@code name}; an invalid key is BAD_REQUEST naming its path. */
  public static PipelineDefinition definition(JsonObject json, String name) {
    try {
      return PipelineDefinition.read(json, name, name);
    } catch (ConfigException e) {
      throw new ActorException(ErrorCode.BAD_REQUEST, "pipeline " + e.getMessage());
    }
  }
}
