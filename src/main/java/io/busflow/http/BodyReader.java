package io.busflow.http;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.impl.RoutingContextInternal;

/**
 * Reads a request body into memory under two bounds: {@code http.bodyLimitBytes} for this body (413
 * TOO_LARGE) and the node's {@code http.limits.bodyBytesInFlight} for all bodies at once (503 MAILBOX_FULL
 * with {@code Retry-After}). A declared {@code Content-Length} is checked and taken before one byte is read
 * (and before {@code 100 Continue} is sent); a chunked body takes its bytes as they arrive. The bytes are
 * given back when the response ends or the connection closes. Never writes to disk. Used instead of
 * Vert.x's {@code BodyHandler}, which cannot count against a node-wide budget.
 */
final class BodyReader implements Handler<RoutingContext> {

  private final long bodyLimit;
  private final Admission admission;

  BodyReader(long bodyLimit, Admission admission) {
    this.bodyLimit = bodyLimit;
    this.admission = admission;
  }

  @Override
  public void handle(RoutingContext ctx) {
    RoutingContextInternal internal = (RoutingContextInternal) ctx;
    if (internal.seenHandler(RoutingContextInternal.BODY_HANDLER)) {
      ctx.next();
      return;
    }
    internal.visitHandler(RoutingContextInternal.BODY_HANDLER);
    long declared = declaredLength(ctx.request());
    if (declared > bodyLimit) {
      ctx.fail(413);
    } else if (declared > 0 && !admission.tryTakeBodyBytes(declared)) {
      ctx.fail(admission.bodyBytesFull());
    } else {
      new Reading(internal, declared).start();
    }
  }

  private static long declaredLength(HttpServerRequest req) {
    String h = req.getHeader(HttpHeaders.CONTENT_LENGTH);
    try {
      return h == null ? -1 : Long.parseLong(h.trim());
    } catch (NumberFormatException e) {
      throw HttpFailure.badRequest("Content-Length '" + h + "' is not a number");
    }
  }

  /** One body being read; {@code taken} bytes of the node's budget are held until the response ends. */
  private final class Reading {
    private final RoutingContextInternal ctx;
    private final boolean chunked;
    private final Buffer body;
    private long taken;
    private boolean failed;

    Reading(RoutingContextInternal ctx, long declared) {
      this.ctx = ctx;
      this.chunked = declared < 0;
      this.taken = Math.max(0, declared);
      this.body = Buffer.buffer((int) Math.min(Math.max(declared, 0), 64 * 1024));
    }

    void start() {
      ctx.addEndHandler(ar -> admission.releaseBodyBytes(taken));
      HttpServerRequest req = ctx.request();
      if (req.isEnded()) {
        end();
        return;
      }
      req.handler(this::chunk).endHandler(v -> end()).exceptionHandler(ctx::fail);
      if (req.version() == HttpVersion.HTTP_1_1 && "100-continue".equalsIgnoreCase(req.getHeader(HttpHeaders.EXPECT))) {
        ctx.response().writeContinue();
      }
      req.resume();
    }

    private void chunk(Buffer b) {
      if (failed) {
        return;
      }
      if (body.length() + (long) b.length() > bodyLimit) {
        fail(null);
      } else if (chunked && !admission.tryTakeBodyBytes(b.length())) {
        fail(admission.bodyBytesFull());
      } else {
        taken += chunked ? b.length() : 0;
        body.appendBuffer(b);
      }
    }

    private void fail(HttpFailure f) {
      failed = true;
      if (f == null) {
        ctx.fail(413);
      } else {
        ctx.fail(f);
      }
    }

    private void end() {
      if (!failed) {
        ctx.setBody(body);
        ctx.next();
      }
    }
  }
}
