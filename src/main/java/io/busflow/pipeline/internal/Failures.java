package io.busflow.pipeline.internal;

import io.busflow.actor.ActorException;
import io.busflow.actor.ErrorCode;
import io.busflow.actor.FatalErrors;
import io.busflow.config.ConfigException;
import io.busflow.data.io.DataException;
import io.busflow.data.io.DataRoots;

/**
 * Maps what the data layer throws to busflow's failure codes, so that bad input becomes an expected
 * failure reply and never a crash: bad data and paths outside the roots are {@code BAD_REQUEST}, absent
 * files {@code NOT_FOUND}, I/O failures (a full disk) {@code ACTOR_FAILED} with the data layer's message
 * (an expected failure: it does not count towards supervision);
 * an {@link IllegalArgumentException} from the data layer (one class only, features that do not match) is
 * {@code BAD_REQUEST}. Anything else is a bug and is returned unchanged. Messages show paths as the
 * configuration names them ({@link DataRoots#redact}), never the server's absolute paths.
 */
public final class Failures {

  private Failures() {}

  /** The failure to reply with for {@code t}, its message prefixed with {@code place} when given. */
  public static Throwable map(Throwable t, String place) {
    FatalErrors.check(t);
    if (t instanceof ActorException) {
      return t;
    }
    if (t instanceof DataException d) {
      return new ActorException(code(d.kind()), prefixed(place, d.getMessage()), d);
    }
    if (t instanceof java.io.UncheckedIOException || t instanceof java.io.IOException) {
      return new ActorException(ErrorCode.ACTOR_FAILED, prefixed(place, t.getMessage()), t);
    }
    if (t instanceof IllegalArgumentException || t instanceof ConfigException) {
      return new ActorException(ErrorCode.BAD_REQUEST, prefixed(place, t.getMessage()), t);
    }
    return t;
  }

  /** The code of a data-layer failure kind. */
  public static ErrorCode code(DataException.Kind kind) {
    return switch (kind) {
      case BAD_DATA, FORBIDDEN -> ErrorCode.BAD_REQUEST;
      case NOT_FOUND -> ErrorCode.NOT_FOUND;
      case IO -> ErrorCode.ACTOR_FAILED;
    };
  }

  private static String prefixed(String place, String message) {
    String shown = DataRoots.redact(message);
    return place == null || place.isEmpty() ? shown : place + ": " + shown;
  }
}
