package io.busflow.http;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** Reads a whole Server-Sent Events stream (until the server ends it) and parses it, for tests. */
final class Sse {

  private Sse() {}

  /** One event: its {@code id}, {@code event} name and JSON {@code data}. */
  record Event(String id, String name, JsonObject data) {}

  /** A finished stream: status, content type, events and comment lines in order. */
  record Stream(int status, String contentType, List<Event> events, List<String> comments, String raw) {
    Event last() {
      return events.get(events.size() - 1);
    }

    List<Event> named(String name) {
      return events.stream().filter(e -> e.name().equals(name)).toList();
    }
  }

  /** GETs {@code path} on 127.0.0.1:{@code port} and completes when the server has ended the response. */
  static Future<Stream> read(HttpClient client, int port, String path, MultiMap headers) {
    RequestOptions opts = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port)
        .setURI(path).setHeaders(headers);
    return client.request(opts).compose(req -> req.send())
        .compose(resp -> resp.body().map(b -> parse(resp.statusCode(), resp.getHeader("Content-Type"), b.toString())));
  }

  static Future<Stream> read(HttpClient client, int port, String path) {
    return read(client, port, path, MultiMap.caseInsensitiveMultiMap());
  }

  static Stream parse(int status, String contentType, String text) {
    List<Event> events = new ArrayList<>();
    List<String> comments = new ArrayList<>();
    for (String block : text.split("\n\n")) {
      String id = null;
      String name = "message";
      String data = null;
      for (String line : block.split("\n")) {
        if (line.startsWith(":")) {
          comments.add(line.substring(1).trim());
        } else if (line.startsWith("id: ")) {
          id = line.substring(4);
        } else if (line.startsWith("event: ")) {
          name = line.substring(7);
        } else if (line.startsWith("data: ")) {
          data = line.substring(6);
        }
      }
      if (data != null) {
        events.add(new Event(id, name, new JsonObject(data)));
      }
    }
    return new Stream(status, contentType, events, comments, text);
  }
}
