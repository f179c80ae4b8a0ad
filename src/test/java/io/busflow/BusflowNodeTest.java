package io.busflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busflow.config.ConfigException;
import io.busflow.actor.ActorRef;
import io.busflow.examples.TutorialActors;
import io.busflow.pipeline.loader.LoaderProtocol;
import io.busflow.pipeline.protocol.PipelineClient;
import io.busflow.pipeline.protocol.PipelineProtocol;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class BusflowNodeTest {

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void defaultNode_runsTheTutorialChain_andTheRealLoaderAnswersTheTutorialsRequest(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    JsonObject conf = new JsonObject(Files.readString(Path.of("conf/busflow.json")));
    conf.getJsonObject("http").put("port", 0);
    vertx.deployVerticle(new BusflowNode(), new DeploymentOptions().setConfig(conf))
        .compose(id -> TutorialActors.chain(vertx, "data.csv"))
        .compose(chain -> ActorRef.of(vertx, LoaderProtocol.ADDRESS).<JsonObject>ask("churn-20000.csv")
            .map(summary -> new JsonObject().put("chain", chain).put("summary", summary)))
        .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
          assertEquals("Prediction for Preprocessed(Data loaded from data.csv)", reply.getString("chain"));
          assertEquals("Data loaded from churn-20000.csv (20000 rows, 10 columns)",
              reply.getJsonObject("summary").getString("message"));
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void defaultNode_runsTheDemoPipeline(Vertx vertx, VertxTestContext ctx) throws Exception {
    JsonObject conf = new JsonObject(Files.readString(Path.of("conf/busflow.json")));
    JsonObject demo = new JsonObject(Files.readString(Path.of("conf/pipelines/churn-demo.json")));
    demo.getJsonObject("preprocessing").put("path", "node-test.preprocessor.json");
    demo.getJsonObject("model").put("path", "node-test.model.json");
    demo.put("output", new JsonObject().put("path", "node-test-predictions.csv")).put("report", "node-test-report.json");
    conf.getJsonObject("http").put("port", 0);
    vertx.deployVerticle(new BusflowNode(), new DeploymentOptions().setConfig(conf))
        .compose(id -> PipelineClient.run(vertx, new PipelineProtocol.Run(null, demo, null, new JsonObject()), p -> { }))
        .onComplete(ctx.succeeding(report -> ctx.verify(() -> {
          assertEquals("succeeded", report.getString("state"), report.encodePrettily());
          assertEquals(5000L, report.getJsonObject("scoring").getLong("rowsWritten"));
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void node_servesThePredictRoute_ofThePipelinesInItsPipelinesDirectory(Vertx vertx, VertxTestContext ctx,
      @TempDir Path dir) throws Exception {
    JsonObject demo = new JsonObject(Files.readString(Path.of("conf/pipelines/churn-demo.json")));
    demo.getJsonObject("preprocessing").put("path", "node-test-never.preprocessor.json");
    Files.writeString(dir.resolve("fresh.json"), demo.encode());
    JsonObject conf = new JsonObject(Files.readString(Path.of("conf/busflow.json"))).put("pipelines", dir.toString());
    conf.getJsonObject("http").put("port", 0);
    BusflowNode node = new BusflowNode();
    vertx.deployVerticle(node, new DeploymentOptions().setConfig(conf))
        .compose(id -> WebClient.create(vertx).post(node.httpPort(), "127.0.0.1", "/api/v1/pipelines/fresh/predict")
            .sendJsonObject(new JsonObject().put("records", new io.vertx.core.json.JsonArray())))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertEquals(409, r.statusCode(), r.bodyAsString());
          assertTrue(r.bodyAsString().contains("pipeline 'fresh' has not been trained"), r.bodyAsString());
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void node_withTheDefaultConfiguration_servesTheTutorialChainOverHttp(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    JsonObject conf = new JsonObject(Files.readString(Path.of("conf/busflow.json")));
    conf.getJsonObject("http").put("port", 0);
    BusflowNode node = new BusflowNode();
    WebClient client = WebClient.create(vertx);
    vertx.deployVerticle(node, new DeploymentOptions().setConfig(conf))
        .compose(id -> client.get(node.httpPort(), "127.0.0.1", "/health/ready").send())
        .compose(ready -> {
          ctx.verify(() -> assertEquals(200, ready.statusCode(), ready.bodyAsString()));
          return client.post(node.httpPort(), "127.0.0.1", "/api/v1/bus/" + TutorialActors.LOADER)
              .sendJson("data.csv");
        })
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertEquals("Data loaded from data.csv", r.bodyAsJson(String.class));
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void node_withABadHttpKey_failsToStartNamingThePath(Vertx vertx, VertxTestContext ctx) {
    JsonObject conf = new JsonObject()
        .put("actors", new JsonObject().put("loader", new JsonObject().put("type", "tutorial-loader")))
        .put("http", new JsonObject().put("enabled", true).put("bus", new JsonObject().put("adresses", "x")));
    vertx.deployVerticle(new BusflowNode(), new DeploymentOptions().setConfig(conf))
        .onComplete(ctx.failing(t -> ctx.verify(() -> {
          ConfigException e = assertInstanceOf(ConfigException.class, t);
          assertEquals("http.bus.adresses", e.path());
          assertTrue(vertx.deploymentIDs().isEmpty(), "nothing may stay deployed");
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void node_whosePortIsTaken_failsToStartNamingThePortAndUndeploysEverything(Vertx vertx, VertxTestContext ctx) {
    vertx.createHttpServer().requestHandler(req -> req.response().end()).listen(0, "127.0.0.1")
        .compose(taken -> {
          JsonObject conf = new JsonObject()
              .put("actors", new JsonObject().put("loader", new JsonObject().put("type", "tutorial-loader")))
              .put("http", new JsonObject().put("enabled", true).put("port", taken.actualPort()));
          return vertx.deployVerticle(new BusflowNode(), new DeploymentOptions().setConfig(conf));
        })
        .onComplete(ctx.failing(t -> ctx.verify(() -> {
          ConfigException e = assertInstanceOf(ConfigException.class, t);
          assertEquals("http.port", e.path());
          assertTrue(e.getMessage().contains("cannot listen on 127.0.0.1:"), e.getMessage());
          assertTrue(vertx.deploymentIDs().isEmpty(), "nothing may stay deployed: " + vertx.deploymentIDs());
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void node_withAnUnknownKey_failsToStartNamingThePath(Vertx vertx, VertxTestContext ctx) {
    JsonObject conf = new JsonObject().put("actors", new JsonObject()
        .put("loader", new JsonObject().put("type", "tutorial-loader").put("instancez", 2)));
    vertx.deployVerticle(new BusflowNode(), new DeploymentOptions().setConfig(conf))
        .onComplete(ctx.failing(t -> ctx.verify(() -> {
          ConfigException e = assertInstanceOf(ConfigException.class, t);
          assertEquals("actors.loader.instancez", e.path());
          assertTrue(vertx.deploymentIDs().isEmpty(), "nothing may stay deployed");
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void node_withAPerLoopActorAndNoOtherAtItsAddress_failsToStartNamingTheKey(Vertx vertx, VertxTestContext ctx) {
    JsonObject conf = new JsonObject().put("actors", new JsonObject()
        .put("model-loop", new JsonObject().put("type", "tutorial-model").put("threading", "per-loop")));
    vertx.deployVerticle(new BusflowNode(), new DeploymentOptions().setConfig(conf))
        .onComplete(ctx.failing(t -> ctx.verify(() -> {
          ConfigException e = assertInstanceOf(ConfigException.class, t);
          assertEquals("actors.model-loop.threading", e.path());
          assertTrue(e.getMessage().contains("busflow.tutorial.model"), e.getMessage());
          assertTrue(vertx.deploymentIDs().isEmpty(), "nothing may stay deployed");
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void node_deploysAUsersActorByClassName(Vertx vertx, VertxTestContext ctx) {
    JsonObject conf = new JsonObject().put("actors", new JsonObject()
        .put("mine", new JsonObject().put("type", TutorialActors.Loader.class.getName())
            .put("address", "user.loader")));
    vertx.deployVerticle(new BusflowNode(), new DeploymentOptions().setConfig(conf))
        .compose(id -> vertx.eventBus().<String>request("user.loader", "x.csv"))
        .onComplete(ctx.succeeding(m -> ctx.verify(() -> {
          assertEquals("Data loaded from x.csv", m.body());
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void aSecondNodeInOneVertx_isRefused_pointingAtActorInstances(Vertx vertx, VertxTestContext ctx) {
    JsonObject conf = new JsonObject().put("actors", new JsonObject()
        .put("loader", new JsonObject().put("type", "tutorial-loader")));
    vertx.deployVerticle(BusflowNode.withoutHttp(), new DeploymentOptions().setConfig(conf))
        .compose(first -> vertx.deployVerticle(BusflowNode.withoutHttp(), new DeploymentOptions().setConfig(conf)))
        .recover(t -> {
          ctx.verify(() -> assertTrue(t.getMessage().contains("set actors.<name>.instances"), t.getMessage()));
          return vertx.eventBus().<String>request(TutorialActors.LOADER, "x.csv").map(m -> "refused");
        })
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertEquals("refused", r, "the second node must be refused, the first keep running");
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void aNodeForJobs_opensNoPort_unlessGivenOne(Vertx vertx, VertxTestContext ctx) {
    JsonObject conf = new JsonObject().put("actors", new JsonObject()
        .put("loader", new JsonObject().put("type", "tutorial-loader")))
        .put("http", new JsonObject().put("enabled", true).put("port", 0));
    BusflowNode quiet = BusflowNode.withoutHttp();
    BusflowNode asked = BusflowNode.withHttpPort(0);
    vertx.deployVerticle(quiet, new DeploymentOptions().setConfig(conf))
        .compose(id -> {
          ctx.verify(() -> assertEquals(-1, quiet.httpPort(), "http.enabled, but a node for jobs opens no port"));
          return vertx.undeploy(id);
        })
        .compose(v -> vertx.deployVerticle(asked, new DeploymentOptions().setConfig(conf)))
        .onComplete(ctx.succeeding(id -> ctx.verify(() -> {
          assertTrue(asked.httpPort() > 0, "--port 0 binds a free port: " + asked.httpPort());
          ctx.completeNow();
        })));
  }
}
