package io.busflow.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A load generator for one POST route of a node in another process: plain non-blocking sockets and one
 * selector, run on the calling thread, with the request encoded once. It is this lean because it shares the
 * machine's cores with the node: Vert.x's HTTP client cost about as much CPU per request as the node spends
 * answering it (34 µs against 48 µs, measured on the 2-core test machine), so it could not offer twice the
 * node's peak. A fixed set of keep-alive connections is opened up front (no connect storm in the measurements)
 * and used in turn (none idle long enough for the node's idle timeout). {@link #closed} keeps {@code n}
 * requests in flight (for a peak); {@link #open} sends at a fixed arrival rate whatever the answers do: a
 * request waits here for a free connection when all are busy, and its latency runs from its intended send time,
 * so a stalled node shows as latency, not as fewer requests (no coordinated omission). HTTP/1.1 answers with a
 * {@code Content-Length} only (what the node sends).
 */
final class PredictLoad implements AutoCloseable {

  private static final byte[] HEAD_END = {'\r', '\n', '\r', '\n'};

  private final InetSocketAddress address;
  private final ByteBuffer request;
  private final Selector selector;
  /** Free connections, longest free first; intended send times of requests waiting for one, in order. */
  private final ArrayDeque<Conn> idle = new ArrayDeque<>();
  private final ArrayDeque<Long> waiting = new ArrayDeque<>();
  private final List<Conn> all = new ArrayList<>();
  private int inFlight;
  /** The run going on: requests waiting for a connection belong to it. */
  private Window current = new Window(0, 0);

  PredictLoad(int port, String path, String body, int connections) throws IOException {
    this.address = new InetSocketAddress("127.0.0.1", port);
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + b.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    this.request = ByteBuffer.allocateDirect(head.length + b.length).put(head).put(b).flip().asReadOnlyBuffer();
    this.selector = Selector.open();
    for (int i = 0; i < connections; i++) {
      idle.addLast(connect());
    }
  }

  /** One keep-alive connection and the request it carries. */
  private final class Conn {
    final SocketChannel channel;
    final SelectionKey key;
    ByteBuffer out;
    ByteBuffer in = ByteBuffer.allocate(4096);
    long intended;
    long sentAt;
    Window window;

    Conn(SocketChannel channel) throws IOException {
      this.channel = channel;
      this.key = channel.register(selector, SelectionKey.OP_READ, this);
    }
  }

  private Conn connect() throws IOException {
    SocketChannel ch = SocketChannel.open(address);
    ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
    ch.configureBlocking(false);
    Conn c = new Conn(ch);
    all.add(c);
    return c;
  }

  /** What one run saw: answers by status and error code, latencies, failures without an answer. */
  static final class Window {
    final double seconds;
    final double offeredRate;
    final Latencies ok = new Latencies();
    final Latencies shed = new Latencies();
    /** The same answers' latencies from when the request was written to the node (not when it was due). */
    final Latencies okSent = new Latencies();
    final Latencies shedSent = new Latencies();
    final Map<String, Integer> other = new TreeMap<>();
    int sent;
    /** From the run's start to its last answer. */
    long elapsedNanos;
    /** Connections the node closed during the run. */
    int closed;
    /** 503s without {@code MAILBOX_FULL} or without {@code Retry-After}. */
    int badShed;
    int errors;
    String firstError;
    /** When the run started ({@link System#nanoTime()}), and per second of it the slowest 503 from its write, in ns. */
    long startNanos = System.nanoTime();
    final long[] slowestShedBySecond = new long[64];

    Window(double seconds, double offeredRate) {
      this.seconds = seconds;
      this.offeredRate = offeredRate;
    }

    int answered() {
      return ok.size() + shed.size() + other.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Answers of any kind per second, over the time from the first send to the last answer. */
    double rate() {
      return answered() / Math.max(seconds, elapsedNanos / 1e9);
    }

    /** Every latency, 200s and 503s together. */
    Latencies all() {
      Latencies a = new Latencies();
      a.addAll(ok);
      a.addAll(shed);
      return a;
    }

    private void answer(int status, String head, String body, long latencyNanos, long sentNanos) {
      if (status == 200) {
        ok.add(latencyNanos);
        okSent.add(sentNanos);
      } else if (status == 503) {
        shed.add(latencyNanos);
        shedSent.add(sentNanos);
        int second = (int) Math.min(slowestShedBySecond.length - 1, (System.nanoTime() - startNanos) / 1_000_000_000L);
        slowestShedBySecond[second] = Math.max(slowestShedBySecond[second], sentNanos);
        if (!head.toLowerCase(Locale.ROOT).contains("\r\nretry-after:") || !body.contains("MAILBOX_FULL")) {
          badShed++;
        }
      } else {
        other.merge(status + " " + body.substring(0, Math.min(120, body.length())), 1, Integer::sum);
      }
    }

    private void error(Throwable t) {
      errors++;
      if (firstError == null) {
        firstError = t.toString();
      }
    }
  }

  /** Latencies in nanoseconds, growable; percentiles by sorting. */
  static final class Latencies {
    private long[] v = new long[1024];
    private int n;
    private boolean sorted;

    void add(long nanos) {
      if (n == v.length) {
        v = Arrays.copyOf(v, n * 2);
      }
      v[n++] = nanos;
      sorted = false;
    }

    void addAll(Latencies other) {
      for (int i = 0; i < other.n; i++) {
        add(other.v[i]);
      }
    }

    int size() {
      return n;
    }

    /** The {@code q} quantile in milliseconds (0 when empty). */
    double ms(double q) {
      if (n == 0) {
        return 0;
      }
      if (!sorted) {
        Arrays.sort(v, 0, n);
        sorted = true;
      }
      return v[Math.min(n - 1, (int) Math.ceil(q * n) - 1 < 0 ? 0 : (int) Math.ceil(q * n) - 1)] / 1e6;
    }

    double maxMs() {
      return ms(1.0);
    }
  }

  /** Per second of {@code w} with a 503: its slowest from the write, in ms ({@code "0:152 1:40 …"}). */
  static String slowestShedBySecond(Window w) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < w.slowestShedBySecond.length; i++) {
      if (w.slowestShedBySecond[i] > 0) {
        b.append(b.length() == 0 ? "" : " ").append(i).append(':').append(w.slowestShedBySecond[i] / 1_000_000);
      }
    }
    return b.toString();
  }

  /** {@code concurrency} requests always in flight for {@code seconds}; returns what was answered. */
  Window closed(int concurrency, double seconds) throws IOException {
    Window w = new Window(seconds, 0);
    current = w;
    long end = System.nanoTime() + (long) (seconds * 1e9);
    while (true) {
      long now = System.nanoTime();
      while (now < end && inFlight + waiting.size() < concurrency) {
        submit(w, now);
      }
      if (now >= end && inFlight == 0) {
        w.elapsedNanos = now - (end - (long) (seconds * 1e9));
        return w;
      }
      poll(w, end + 60_000_000_000L);
    }
  }

  /**
   * Requests at {@code rate} per second for {@code seconds}, request {@code i} due at {@code i / rate} from the
   * start (a late send counts in its latency); returns once every one is answered or failed.
   */
  Window open(double rate, double seconds) throws IOException {
    Window w = new Window(seconds, rate);
    current = w;
    long total = Math.round(rate * seconds);
    long start = System.nanoTime();
    w.startNanos = start;
    long deadline = start + (long) (seconds * 1e9) + 60_000_000_000L;
    while (true) {
      long due = Math.min(total, (long) ((System.nanoTime() - start) / 1e9 * rate) + 1);
      while (w.sent < due) {
        submit(w, start + (long) (w.sent / rate * 1e9));
      }
      if (w.sent == total && inFlight == 0 && waiting.isEmpty()) {
        w.elapsedNanos = System.nanoTime() - start;
        return w;
      }
      poll(w, deadline);
    }
  }

  private void submit(Window w, long intended) throws IOException {
    w.sent++;
    Conn c = idle.pollFirst();
    if (c == null) {
      waiting.addLast(intended);
    } else {
      send(c, w, intended);
    }
  }

  private void send(Conn c, Window w, long intended) throws IOException {
    c.window = w;
    c.intended = intended;
    c.sentAt = System.nanoTime();
    c.out = request.duplicate();
    inFlight++;
    write(c);
  }

  private void write(Conn c) throws IOException {
    c.channel.write(c.out);
    c.key.interestOps(c.out.hasRemaining() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
  }

  /** Waits up to 1 ms for answers and handles them; past {@code deadline} whatever is unanswered fails. */
  private void poll(Window w, long deadline) throws IOException {
    if (System.nanoTime() > deadline) {
      for (Conn c : List.copyOf(all)) {
        if (c.window != null) {
          lost(c, "no answer within the run's deadline");
        }
      }
      while (!waiting.isEmpty()) {
        waiting.poll();
        w.error(new IOException("never sent: no connection came free before the run's deadline"));
      }
      return;
    }
    selector.select(1);
    for (SelectionKey k : selector.selectedKeys()) {
      Conn c = (Conn) k.attachment();
      try {
        if (k.isValid() && k.isWritable()) {
          write(c);
        }
        if (k.isValid() && k.isReadable()) {
          read(c);
        }
      } catch (IOException e) {
        lost(c, e.toString());
      }
    }
    selector.selectedKeys().clear();
  }

  private void read(Conn c) throws IOException {
    if (!c.in.hasRemaining()) {
      c.in = ByteBuffer.allocate(c.in.capacity() * 2).put(c.in.flip());
    }
    if (c.channel.read(c.in) < 0) {
      lost(c, "the node closed the connection");
      return;
    }
    int headEnd = indexOf(c.in, HEAD_END);
    if (headEnd < 0 || c.window == null) {
      return;
    }
    String head = new String(c.in.array(), 0, headEnd, StandardCharsets.ISO_8859_1);
    int length = contentLength(head);
    int total = headEnd + 4 + length;
    if (c.in.position() < total) {
      return;
    }
    int status = Integer.parseInt(head, 9, 12, 10);
    String body = status == 200 ? "" : new String(c.in.array(), headEnd + 4, length, StandardCharsets.UTF_8);
    long now = System.nanoTime();
    c.window.answer(status, head, body, now - c.intended, now - c.sentAt);
    c.in.clear();
    done(c);
  }

  private void done(Conn c) throws IOException {
    c.window = null;
    inFlight--;
    Long next = waiting.pollFirst();
    if (next == null) {
      idle.addLast(c);
    } else {
      send(c, current, next);
    }
  }

  /** A connection that failed or was closed: its request (if any) fails, another connection replaces it. */
  private void lost(Conn c, String why) throws IOException {
    c.key.cancel();
    c.channel.close();
    all.remove(c);
    idle.remove(c);
    Window w = c.window != null ? c.window : current;
    w.closed++;
    if (c.window != null) {
      c.window.error(new IOException(why));
      c.window = null;
      inFlight--;
    }
    Conn fresh = connect();
    Long next = waiting.pollFirst();
    if (next == null) {
      idle.addLast(fresh);
    } else {
      send(fresh, current, next);
    }
  }

  private static int contentLength(String head) {
    int i = head.toLowerCase(Locale.ROOT).indexOf("\r\ncontent-length:");
    if (i < 0) {
      throw new IllegalStateException("an answer without Content-Length: " + head);
    }
    int from = i + "\r\ncontent-length:".length();
    int to = head.indexOf('\r', from);
    return Integer.parseInt(head.substring(from, to < 0 ? head.length() : to).trim());
  }

  private static int indexOf(ByteBuffer in, byte[] what) {
    byte[] a = in.array();
    for (int i = 0; i + what.length <= in.position(); i++) {
      if (a[i] == what[0] && a[i + 1] == what[1] && a[i + 2] == what[2] && a[i + 3] == what[3]) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public void close() throws IOException {
    for (Conn c : all) {
      c.channel.close();
    }
    selector.close();
  }
}
