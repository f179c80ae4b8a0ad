package io.busflow.config;

import io.vertx.core.json.DecodeException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What is wrong with a JSON text, from a decode failure: Jackson's reason and where, without its boilerplate. */
public final class JsonProblems {

  /** Where the decoder stopped: the last location of the message. */
  private static final Pattern LOCATION = Pattern.compile(
      "\\s*at \\[Source: [^;]*; line: (\\d+), column: (\\d+)]\\s*$");
  /** The source part of another location in the message (where an unclosed object started). */
  private static final Pattern SOURCE = Pattern.compile("Source: [^;]*; ");
  private static final String PREFIX = "Failed to decode:";
  /** Jackson's advice to a programmer for NaN and the infinities, which a client cannot take. */
  private static final Pattern NON_NUMERIC = Pattern.compile(
      "Non-standard token '([^']*)': enable `JsonReadFeature\\.ALLOW_NON_NUMERIC_NUMBERS` to allow");
  /** Where a limit of Jackson's comes from in its code, which says nothing to a client. */
  private static final Pattern LIMIT_ORIGIN = Pattern.compile(", from `StreamReadConstraints\\.\\w+\\(\\)`");

  private JsonProblems() {}

  /**
   * {@code e}'s reason as {@code "line 2, column 1: Unexpected end-of-input …"} (the location first when Jackson
   * gave one; its {@code [Source: REDACTED …]} part left out, and its advice to programmers replaced by what the
   * sender can do).
   */
  public static String describe(DecodeException e) {
    String m = String.valueOf(e.getMessage());
    if (m.startsWith(PREFIX)) {
      m = m.substring(PREFIX.length());
    }
    m = LIMIT_ORIGIN.matcher(m).replaceAll("");
    m = NON_NUMERIC.matcher(m).replaceAll(Matcher.quoteReplacement("'") + "$1" + Matcher.quoteReplacement(
        "' is not a JSON value (JSON has no NaN or infinity; Python's json.dumps writes them unless given "
        + "allow_nan=False): send null for a missing value"));
    Matcher at = LOCATION.matcher(m);
    if (!at.find()) {
      return SOURCE.matcher(m).replaceAll("").strip();
    }
    String reason = SOURCE.matcher(m.substring(0, at.start())).replaceAll("").strip();
    return "line " + at.group(1) + ", column " + at.group(2) + ": " + reason;
  }
}
