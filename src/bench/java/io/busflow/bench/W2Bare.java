package io.busflow.bench;

import io.busflow.actor.ActorException;
import io.busflow.data.Batch;
import io.busflow.data.ContentHash;
import io.busflow.data.model.Model;
import io.busflow.data.model.Predictions;
import io.busflow.data.transform.Preprocessor;
import io.busflow.pipeline.internal.JsonShapes;
import io.busflow.pipeline.protocol.BatchJson;
import io.busflow.pipeline.protocol.PredictionJson;
import io.busflow.stage.ModelTypes;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * W2's baseline: a bare vertx-web route on 127.0.0.1 that scores inline on its event loop, without actors or
 * the event bus — the same JSON decoding, the same fitted preprocessor and model arithmetic (the demo's
 * logistic pipeline, or an ONNX model run by ONNX Runtime behind a pass-through preprocessor) and the same
 * reply as the predict route, nothing else.
 */
final class W2Bare extends VerticleBase {

  static final String PATH = "/predict";

  private final String pipeline;
  private final String preprocessorId;
  private final Preprocessor preprocessor;
  private final Model model;
  private final Map<String, Preprocessor.Input> inputs;
  private HttpServer server;

  /** Scores with {@code preprocessor} and {@code model}, naming the preprocessor by its id as the stage does. */
  W2Bare(String pipeline, Preprocessor preprocessor, Model model) {
    this.pipeline = pipeline;
    this.preprocessorId = ContentHash.of("pp", preprocessor.toState());
    this.preprocessor = preprocessor;
    this.model = model;
    this.inputs = preprocessor.inputs();
  }

  /** Scores with the saved preprocessor and model states in {@code preprocessor} and {@code model}. */
  static W2Bare of(String pipeline, Path preprocessor, Path model) throws IOException {
    return new W2Bare(pipeline, Preprocessor.fromState(JsonShapes.toMap(new JsonObject(Files.readString(preprocessor)))),
        ModelTypes.fromState(JsonShapes.toMap(new JsonObject(Files.readString(model)))));
  }

  /**
   * The baseline as a process of its own (the soak's, {@code PredictSoakLongTest}): serves pipeline {@code
   * args[0]} from the saved states {@code args[1]} (preprocessor) and {@code args[2]} (model) at {@link #PATH} on
   * 127.0.0.1 and prints {@code port N} once it listens; runs until the process is ended.
   */
  public static void main(String[] args) throws Exception {
    W2Bare bare = of(args[0], Path.of(args[1]), Path.of(args[2]));
    Vertx.vertx().deployVerticle(bare).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    System.out.println("port " + bare.port());
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.post(PATH).handler(BodyHandler.create(false)).handler(this::predict);
    return vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").onSuccess(s -> server = s);
  }

  int port() {
    return server.actualPort();
  }

  private void predict(RoutingContext ctx) {
    try {
      Batch rows = BatchJson.fromRecords(PredictionJson.records(Json.decodeValue(ctx.body().buffer())), inputs,
          "records");
      Preprocessor.Transformed t = preprocessor.transformCounting(rows);
      Predictions p = model.predict(t.features(), preprocessor.idColumn());
      JsonObject reply = PredictionJson.body(pipeline, preprocessorId, p.modelVersion(), p.batch(), model.output(),
          preprocessor.idColumn(), t.unknownLevels());
      ctx.response().putHeader("Content-Type", "application/json; charset=utf-8").end(Json.encode(reply));
    } catch (ActorException | DecodeException | IllegalArgumentException e) {
      ctx.response().setStatusCode(422).end(e.getMessage());
    }
  }
}
