package io.busflow.http;

import io.busflow.actor.ErrorCode;
import io.netty.channel.Channel;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import io.vertx.ext.web.handler.sockjs.impl.SockJSSocketBase;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A SockJS socket as the event-bus bridge sees it, guarding the real one:
 * <ul>
 *   <li>every frame from the client is checked ({@link BridgeFrames}) before the bridge reads it; a malformed one
 *       is answered with an {@code err} frame and goes no further;</li>
 *   <li>bytes written and not yet sent on are counted, per socket and over the node's sockets; past {@code
 *       http.eventbus.maxQueuedBytes} on this socket, or {@code http.eventbus.maxQueuedBytesPerNode} on the node,
 *       a client that has bytes waiting — it is not reading — is disconnected and the reason logged, so slow
 *       clients cannot grow the heap, alone or together;</li>
 *   <li>a transport failure (a WebSocket frame over the size limit, say) closes the connection, with the reason
 *       logged, instead of leaving it open and mute;</li>
 *   <li>{@code release} runs once when the socket's connection is closed.</li>
 * </ul>
 * It extends Vert.x's {@code SockJSSocketBase} because the bridge ({@code EventBusBridgeImpl}, vertx-web 5.1)
 * casts its sockets to it when a client stops pinging.
 */
final class BridgeSocket extends SockJSSocketBase {

  private static final Logger LOG = LoggerFactory.getLogger(BridgeSocket.class);

  private final SockJSSocket real;
  private final long maxQueuedBytes;
  private final AtomicLong queuedOnNode;
  private final long maxQueuedBytesPerNode;
  private final AtomicLong queued = new AtomicLong();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Runnable release;
  /** The addresses this socket is subscribed to (or asked to be, the bridge's hook having let it); its event loop. */
  private final Set<String> subscribed = new HashSet<>();
  private Handler<Void> closeHandler;

  /**
   * @param queuedOnNode the bytes queued on every bridge socket of the node, which this socket adds to
   */
  BridgeSocket(Vertx vertx, SockJSSocket real, long maxQueuedBytes, AtomicLong queuedOnNode,
               long maxQueuedBytesPerNode, Runnable release) {
    super(vertx, real.routingContext(), new SockJSHandlerOptions().setRegisterWriteHandler(false));
    this.real = real;
    this.maxQueuedBytes = maxQueuedBytes;
    this.queuedOnNode = queuedOnNode;
    this.maxQueuedBytesPerNode = maxQueuedBytesPerNode;
    this.release = release;
    real.closeHandler(v -> onClosed());
    real.exceptionHandler(this::onFailure);
  }

  /**
   * Notes a subscription to {@code address}; false, noting nothing, when the socket is subscribed to {@code max}
   * other addresses already.
   */
  boolean subscribe(String address, int max) {
    if (subscribed.contains(address)) {
      return true;
    }
    if (subscribed.size() >= max) {
      return false;
    }
    subscribed.add(address);
    return true;
  }

  /** Forgets a subscription to {@code address}. */
  void unsubscribe(String address) {
    subscribed.remove(address);
  }

  @Override
  public SockJSSocket handler(Handler<Buffer> handler) {
    real.handler(handler == null ? null : data -> onFrame(data, handler));
    return this;
  }

  private void onFrame(Buffer data, Handler<Buffer> bridge) {
    BridgeFrames.Checked c = BridgeFrames.check(data);
    if (c.problem() != null) {
      LOG.info("event-bus bridge refused a frame from {}: {}", remoteAddress(), c.problem());
      sendError(ErrorCode.BAD_REQUEST, c.problem(), c.replyAddress());
      return;
    }
    String address = c.frame().getString("address");
    if ("register".equals(c.frame().getString("type")) && subscribed.contains(address)) {
      // answered here: Vert.x's bridge would answer with a bare "address_already_registered"
      sendError(ErrorCode.BAD_REQUEST, "this socket is subscribed to '" + address + "' already; unregister it first "
          + "to register it again", address);
      return;
    }
    try {
      bridge.handle(data);
    } catch (RuntimeException e) {
      LOG.warn("event-bus bridge failed on a frame from {}: {}", remoteAddress(), e.toString());
      sendError(ErrorCode.BAD_REQUEST, "the bridge could not handle this frame (" + e.getClass().getSimpleName()
          + "); check it against the frame format of @vertx/eventbus-bridge-client.js", c.replyAddress());
    }
  }

  /** Writes an {@code err} frame to the client. */
  void sendError(ErrorCode code, String message, String address) {
    write(BridgeFrames.error(code, message, address).toBuffer());
  }

  @Override
  public Future<Void> write(Buffer data) {
    return counted(data.length(), () -> real.write(data));
  }

  @Override
  public Future<Void> write(String data) {
    return counted(data.length(), () -> real.write(data));
  }

  private Future<Void> counted(int size, java.util.function.Supplier<Future<Void>> write) {
    if (closed.get()) {
      return Future.failedFuture("the event-bus bridge socket is closed");
    }
    long before = queued.get();
    long onNode = queuedOnNode.get();
    if (before > 0 && (before + size > maxQueuedBytes || onNode + size > maxQueuedBytesPerNode)) {
      abort("the client does not read: " + before + " bytes are waiting to be sent to it, and " + size + " more "
          + (before + size > maxQueuedBytes ? "would pass http.eventbus.maxQueuedBytes (" + maxQueuedBytes + ")"
          : "would take the node's bridge sockets, which hold " + onNode + ", past "
          + "http.eventbus.maxQueuedBytesPerNode (" + maxQueuedBytesPerNode + ")"));
      return Future.failedFuture("disconnected: the client does not read");
    }
    queued.addAndGet(size);
    queuedOnNode.addAndGet(size);
    return write.get().andThen(ar -> {
      queued.addAndGet(-size);
      queuedOnNode.addAndGet(-size);
    });
  }

  private void onFailure(Throwable t) {
    abort("the connection failed: " + t.getMessage());
  }

  /**
   * Logs why, then closes the client's connection at once. Not through {@code channel.close()}: Vert.x 5
   * intercepts that (its {@code VertxHandler}) and first writes a WebSocket close frame and flushes what is
   * queued — which a client that does not read never takes, so the connection, and every byte queued for it,
   * stayed until the process ended. The close starts from the first handler of the pipeline instead, below
   * Vert.x's, and Netty drops the queued bytes.
   */
  private void abort(String why) {
    if (closed.get()) {
      return;
    }
    LOG.warn("event-bus bridge disconnected {}: {}", remoteAddress(), why);
    Channel ch = channel();
    if (ch != null) {
      ch.pipeline().firstContext().close();
    }
    real.close();
    onClosed();
  }

  /** The connection of a WebSocket transport (one socket, one connection); null for the HTTP-polling ones. */
  private Channel channel() {
    HttpConnection c = routingContext() == null ? null : routingContext().request().connection();
    return c instanceof ConnectionBase base && routingContext().request().path().endsWith("/websocket")
        ? base.channel() : null;
  }

  /**
   * Tells the bridge at once; gives the session back to {@code http.eventbus.maxSessions} once the connection is
   * closed (what it holds is freed then), so that the limit bounds memory too.
   */
  private void onClosed() {
    if (closed.compareAndSet(false, true)) {
      Channel ch = channel();
      if (ch == null) {
        release.run();
      } else {
        ch.closeFuture().addListener(f -> release.run());
      }
      if (closeHandler != null) {
        closeHandler.handle(null);
      }
    }
  }

  /** Bytes written to the client and not yet sent on. */
  long queuedBytes() {
    return queued.get();
  }

  @Override
  public SockJSSocket closeHandler(Handler<Void> handler) {
    this.closeHandler = handler;
    return this;
  }

  @Override
  public SockJSSocket exceptionHandler(Handler<Throwable> handler) {
    return this; // failures close the socket (above); the close handler then tells the bridge
  }

  @Override
  public SockJSSocket endHandler(Handler<Void> handler) {
    real.endHandler(handler);
    return this;
  }

  @Override
  public SockJSSocket pause() {
    real.pause();
    return this;
  }

  @Override
  public SockJSSocket resume() {
    real.resume();
    return this;
  }

  @Override
  public SockJSSocket fetch(long amount) {
    real.fetch(amount);
    return this;
  }

  @Override
  public SockJSSocket setWriteQueueMaxSize(int maxSize) {
    real.setWriteQueueMaxSize(maxSize);
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    return queued.get() >= maxQueuedBytes || real.writeQueueFull();
  }

  @Override
  public SockJSSocket drainHandler(Handler<Void> handler) {
    real.drainHandler(handler);
    return this;
  }

  @Override
  public Future<Void> end() {
    return real.end();
  }

  @Override
  public void close() {
    real.close();
  }

  @Override
  public void close(int statusCode, String reason) {
    real.close(statusCode, reason);
  }

  @Override
  public void closeAfterSessionExpired() {
    if (real instanceof SockJSSocketBase base) {
      base.closeAfterSessionExpired();
    } else {
      real.close();
    }
  }

  @Override
  public String writeHandlerID() {
    return real.writeHandlerID();
  }

  @Override
  public SocketAddress remoteAddress() {
    return real.remoteAddress();
  }

  @Override
  public SocketAddress localAddress() {
    return real.localAddress();
  }

  @Override
  public MultiMap headers() {
    return real.headers();
  }

  @Override
  public String uri() {
    return real.uri();
  }
}
