package io.busflow.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code wrk} HTTP load generator (Debian package {@code wrk}), run as a process: POSTs one body with
 * {@code -t2 -c64 --latency} and parses requests/s and the latency percentiles of its report.
 */
final class Wrk {

  private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
  private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in");
  private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)");
  private static final Pattern ERRORS = Pattern.compile("Socket errors: (.*)");

  /** One run's figures: requests/s, latencies in milliseconds, the requests answered. */
  record Result(double rps, double p50Ms, double p99Ms, long requests) {}

  private Wrk() {}

  /**
   * Makes sure wrk is installed: installs it with apt-get when running as root, else prints the command and
   * exits 2.
   */
  static void require() throws IOException, InterruptedException {
    if (installed()) {
      return;
    }
    String cmd = "apt-get update && apt-get install -y wrk";
    if (!"root".equals(System.getProperty("user.name"))) {
      System.err.println("bench w2 needs wrk, the HTTP load generator (Debian package 'wrk'); install it with:\n  sudo sh -c '"
          + cmd + "'");
      System.exit(2);
    }
    System.out.println("wrk is missing; installing it: " + cmd);
    int status = new ProcessBuilder("sh", "-c", cmd + " >/dev/null").inheritIO().start().waitFor();
    if (status != 0 || !installed()) {
      System.err.println("could not install wrk (exit " + status + "); install it with: " + cmd);
      System.exit(2);
    }
  }

  private static boolean installed() throws InterruptedException {
    try {
      Process p = new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      p.waitFor();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** A Lua script that POSTs {@code body} as JSON, written to {@code file}. */
  static Path script(Path file, String body) throws IOException {
    Files.writeString(file, "wrk.method = \"POST\"\nwrk.headers[\"Content-Type\"] = \"application/json\"\n"
        + "wrk.body = [==[" + body + "]==]\n", StandardCharsets.UTF_8);
    return file;
  }

  /** Runs wrk for {@code seconds} against {@code url}; fails when a response was not 2xx or a socket failed. */
  static Result run(String url, Path script, int threads, int connections, int seconds)
      throws IOException, InterruptedException {
    List<String> cmd = List.of("wrk", "-t" + threads, "-c" + connections, "-d" + seconds + "s", "--latency",
        "-s", script.toString(), url);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException("wrk failed: " + out);
    }
    Matcher bad = NON_2XX.matcher(out);
    Matcher errors = ERRORS.matcher(out);
    if (bad.find() || errors.find()) {
      throw new IOException("wrk saw failures against " + url + ":\n" + out);
    }
    return new Result(number(RPS, out), latency(out, "50%"), latency(out, "99%"), (long) number(REQUESTS, out));
  }

  private static double number(Pattern p, String out) throws IOException {
    Matcher m = p.matcher(out);
    if (!m.find()) {
      throw new IOException("cannot read " + p.pattern() + " in wrk's output:\n" + out);
    }
    return Double.parseDouble(m.group(1));
  }

  /** A latency percentile of the --latency distribution, in milliseconds. */
  private static double latency(String out, String percentile) throws IOException {
    Matcher m = Pattern.compile("^\\s+" + Pattern.quote(percentile) + "\\s+([0-9.]+)(us|ms|s)\\s*$", Pattern.MULTILINE)
        .matcher(out);
    if (!m.find()) {
      throw new IOException("no " + percentile + " latency in wrk's output:\n" + out);
    }
    double v = Double.parseDouble(m.group(1));
    return switch (m.group(2).toLowerCase(Locale.ROOT)) {
      case "us" -> v / 1000;
      case "s" -> v * 1000;
      default -> v;
    };
  }
}
