package io.busflow.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * One check of a request before its route handles it: null lets it pass, else the refusal it gets (through the one
 * error mapper). Checks that run one after the other for the same requests go into one route handler
 * ({@link #all}), so that a request passes them for one dispatch of the router instead of one per check.
 */
@FunctionalInterface
interface RequestCheck {

  /** Why {@code ctx} is refused, or null when it passes. */
  HttpFailure refusal(RoutingContext ctx);

  /** The route handler that runs {@code checks} in order: the first refusal fails the request, else the next route. */
  static Handler<RoutingContext> all(List<RequestCheck> checks) {
    RequestCheck[] each = checks.toArray(RequestCheck[]::new);
    return ctx -> {
      for (RequestCheck c : each) {
        HttpFailure refused = c.refusal(ctx);
        if (refused != null) {
          ctx.fail(refused);
          return;
        }
      }
      ctx.next();
    };
  }
}
