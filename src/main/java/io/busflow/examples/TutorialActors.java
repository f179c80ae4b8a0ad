package io.busflow.examples;

import io.busflow.actor.Actor;
import io.busflow.actor.ActorException;
import io.busflow.actor.ActorRef;
import io.busflow.actor.MessageDecoder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * The tutorial's three actors, working: each replies to the request it got (the original sent the reply
 * back into its own mailbox, so the caller read its own message). Strings in, strings out.
 */
public final class TutorialActors {

  public static final String LOADER = "busflow.tutorial.loader";
  public static final String PREPROCESSOR = "busflow.tutorial.preprocess";
  public static final String MODEL = "busflow.tutorial.model";

  private TutorialActors() {}

  /** Replies {@code "Data loaded from <source>"}. */
  public static final class Loader extends Actor<String> {
    public Loader() {
      super(LOADER, MessageDecoder.ofType(String.class));
    }

    @Override
    protected Future<String> onMessage(String source) {
      if (source.isBlank()) {
        throw ActorException.badRequest("the loader needs a source name, got an empty string");
      }
      return Future.succeededFuture("Data loaded from " + source);
    }
  }

  /** Replies {@code "Preprocessed(<data>)"}. */
  public static final class Preprocessor extends Actor<String> {
    public Preprocessor() {
      super(PREPROCESSOR, MessageDecoder.ofType(String.class));
    }

    @Override
    protected Future<String> onMessage(String data) {
      return Future.succeededFuture("Preprocessed(" + data + ")");
    }
  }

  /** Replies {@code "Prediction for <features>"}. */
  public static final class Model extends Actor<String> {
    public Model() {
      super(MODEL, MessageDecoder.ofType(String.class));
    }

    @Override
    protected Future<String> onMessage(String features) {
      return Future.succeededFuture("Prediction for " + features);
    }
  }

  /** The tutorial's main(): loader → preprocessor → model by request-reply. */
  public static Future<String> chain(Vertx vertx, String source) {
    return ActorRef.of(vertx, LOADER).<String>ask(source)
        .compose(data -> ActorRef.of(vertx, PREPROCESSOR).<String>ask(data))
        .compose(features -> ActorRef.of(vertx, MODEL).ask(features));
  }
}
