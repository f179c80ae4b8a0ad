package io.busflow.http;

import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** The methods a router's routes answer on a path: the {@code Allow} header of a 405. */
final class AllowedMethods {

  private static final Pattern PARAM = Pattern.compile(":[A-Za-z0-9_]+");

  private AllowedMethods() {}

  /** The methods of every route with a path template that matches {@code path}, comma-separated. */
  static String of(Router router, String path) {
    Set<String> methods = new TreeSet<>();
    for (Route r : router.getRoutes()) {
      if (r.getPath() != null && r.methods() != null && matches(r.getPath(), path)) {
        r.methods().forEach(m -> methods.add(m.name()));
      }
    }
    return String.join(", ", methods);
  }

  private static boolean matches(String template, String path) {
    StringBuilder regex = new StringBuilder();
    int at = 0;
    var m = PARAM.matcher(template);
    while (m.find()) {
      regex.append(Pattern.quote(template.substring(at, m.start()))).append("[^/]+");
      at = m.end();
    }
    String rest = template.substring(at);
    boolean prefix = rest.endsWith("*");
    regex.append(Pattern.quote(prefix ? rest.substring(0, rest.length() - 1) : rest)).append(prefix ? ".*" : "/?");
    return path.matches(regex.toString());
  }
}
