package io.busflow.http;

import io.busflow.actor.ErrorCode;
import io.busflow.pipeline.serving.PredictionService;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /api/v1/pipelines/{name}/predict}: body {@code {"records":[{…}, …]}} → 200
 * {@code {"predictions":[…]}}, one per record with its id (when the pipeline has an id column), the
 * prediction, the class probabilities and the model version, made by the preprocessor and model actors
 * with the pipeline's saved state ({@link PredictionService}). Errors: 400 body not JSON; 404 unknown
 * pipeline; 409 pipeline never trained; 422 a record the pipeline cannot use (naming record, column and
 * value); 413 more records than {@code http.limits.predictRecords}, or than an answer that fits {@code
 * http.limits.bodyBytesInFlight} holds (a model of many classes); 503 MAILBOX_FULL when the node is
 * serving {@code http.limits.predictRequestsInFlight} predict requests, or a lower limit (down to an eighth of
 * that) while its queue stands ({@code http.limits.predictQueueTargetMs}; both checked before the body is read), or
 * predicting {@code http.limits.predictRowsInFlight} records already, or building answers that leave too little of
 * {@code http.limits.bodyBytesInFlight}; and the stages' failures as everywhere.
 */
public final class PredictApi implements ApiModule {

  static final String PATH = "/api/v1/pipelines/:name/predict";

  private final PredictionService service;

  /** Routes served by {@code service}, which must belong to the HTTP verticle that mounts them. */
  public PredictApi(PredictionService service) {
    this.service = service;
  }

  @Override
  public void mount(Router router, ApiSupport support) {
    router.post(PATH).handler(support.admission().predictRequestAdmission(support.timeout()))
        .handler(support.body()).handler(ctx -> predict(ctx, support));
  }

  private void predict(RoutingContext ctx, ApiSupport support) {
    Future.succeededFuture(ctx).map(c -> admitted(c, support))
        .compose(body -> service.predict(ctx.pathParam("name"), body, support.correlationId(ctx),
            support.remaining(ctx), (bytes, records, classes) ->
                support.admission().takeAnswerBytes(ctx, bytes, records, classes)))
        .onSuccess(reply -> support.json(ctx, 200, reply))
        .onFailure(t -> support.fail(ctx, t));
  }

  /**
   * The body, its records counted while it is decoded: past {@code http.limits.predictRecords} 413 (the tree stops
   * growing there); then takes them from the node's {@code http.limits.predictRowsInFlight} (503 MAILBOX_FULL when
   * it is spent).
   */
  private static Object admitted(RoutingContext ctx, ApiSupport support) {
    int max = support.config().limits().predictRecords();
    JsonShape.Decoded body = support.jsonBody(ctx, max);
    if (body.tooManyRecords()) {
      throw new HttpFailure(413, ErrorCode.TOO_LARGE, "the request carries " + body.records() + " records, more "
          + "than http.limits.predictRecords (" + max + "); send at most " + max + " records per request");
    }
    support.admission().takePredictRows(ctx, body.records());
    return body.value();
  }

  @Override
  public JsonObject openApiPaths() {
    return new JsonObject(OPENAPI);
  }

  private static final String OPENAPI = """
      {"/api/v1/pipelines/{name}/predict": {"post": {
        "tags": ["pipelines"],
        "operationId": "predict",
        "summary": "Predict records with a pipeline's saved preprocessor and model",
        "description": "The records go through the preprocessor and model actors with the fitted state the pipeline's train job saved (preprocessing.path, model.path of conf/pipelines/{name}.json), loaded once and reloaded when those files change. Each record is an object of input columns, as in the pipeline's source; other keys are ignored; null or an absent key is a missing value, which only imputed and one-hot encoded columns accept. Predictions equal those of a batch job on the same rows.",
        "parameters": [
          {"name": "name", "in": "path", "required": true, "schema": {"type": "string"}, "example": "churn-demo"},
          {"$ref": "#/components/parameters/CorrelationId"}
        ],
        "requestBody": {"required": true, "content": {"application/json": {
          "schema": {"type": "object", "required": ["records"], "properties": {
            "records": {"type": "array", "items": {"type": "object", "additionalProperties": {"nullable": true}}}}},
          "example": {"records": [{"customer_id": "C1", "age": 41, "income": 52000.5, "balance": 1200.0,
            "tenure_months": 18, "num_products": 2, "country": "FR", "segment": "retail", "is_active": 1}]}}}},
        "responses": {
          "200": {"description": "One prediction per record, in record order",
            "headers": {"X-Correlation-Id": {"$ref": "#/components/headers/CorrelationId"}},
            "content": {"application/json": {"schema": {"type": "object", "properties": {
              "pipeline": {"type": "string"},
              "preprocessor": {"type": "string", "description": "id of the fitted preprocessor (pp-…)"},
              "model": {"type": "string", "description": "version of the model (logistic-…)"},
              "unknownLevels": {"type": "object", "additionalProperties": {"type": "integer"},
                "description": "values met per one-hot column that were not a fitted level (encoded as all zeros)"},
              "predictions": {"type": "array", "items": {"type": "object", "properties": {
                "id": {"description": "the record's id column value, when the pipeline has an id column"},
                "prediction": {"description": "the class (number or string), or the value of a regression"},
                "probabilities": {"type": "object", "additionalProperties": {"type": "number"},
                  "description": "per class, classifiers only"},
                "model": {"type": "string"}}}}}},
              "example": {"pipeline": "churn-demo", "preprocessor": "pp-3f2a…", "model": "logistic-dd42…",
                "unknownLevels": {"country": 0, "segment": 0},
                "predictions": [{"id": "C1", "prediction": 0, "probabilities": {"0": 0.8121, "1": 0.1879},
                  "model": "logistic-dd42…"}]}}}},
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"description": "NOT_FOUND: no such pipeline (the message lists the known ones)",
            "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
          "409": {"description": "CONFLICT: the pipeline has not been trained (or saves no model); run its train job",
            "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
          "413": {"$ref": "#/components/responses/TooLarge"},
          "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
          "422": {"description": "BAD_REQUEST: not {\\"records\\":[…]}, or a record missing a needed column or with a value of the wrong type (the message names the record index, column and value); or an invalid pipeline file",
            "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
          "500": {"$ref": "#/components/responses/ActorFailed"},
          "503": {"$ref": "#/components/responses/Unavailable"},
          "504": {"$ref": "#/components/responses/Timeout"}
        }}}}
      """;
}
