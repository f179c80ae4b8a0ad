package io.busflow;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.util.Locale;

/**
 * What the command line shows of a job: a progress bar while it runs (redrawn in place on a terminal, a
 * line per phase otherwise) and a summary of its report at the end. The bar's line is always shorter than the
 * terminal is wide ({@code COLUMNS}, 80 when unknown), so a redraw never scrolls, and a job that succeeded ends
 * its bar at 100 %.
 */
final class JobConsole {

  static final int DEFAULT_WIDTH = 80;
  private static final int MAX_BAR = 30;
  private static final int MIN_BAR = 10;

  private final PrintStream out;
  private final boolean terminal;
  private final int width;
  private String lastPhase;
  private JsonObject lastBar;

  JobConsole(PrintStream out, boolean terminal) {
    this(out, terminal, width(System.getenv("COLUMNS")));
  }

  JobConsole(PrintStream out, boolean terminal, int width) {
    this.out = out;
    this.terminal = terminal;
    this.width = width;
  }

  /** The terminal's width from {@code COLUMNS}; {@value #DEFAULT_WIDTH} when unset or not a number. */
  static int width(String columns) {
    try {
      int w = columns == null ? DEFAULT_WIDTH : Integer.parseInt(columns.strip());
      return w >= 20 ? w : DEFAULT_WIDTH;
    } catch (NumberFormatException e) {
      return DEFAULT_WIDTH;
    }
  }

  /** Shows one progress message. */
  synchronized void progress(JsonObject p) {
    String phase = p.getString("phase", "");
    if (terminal) {
      out.print("\r" + bar(p, width));
      out.flush();
      lastBar = p;
    } else if (!phase.equals(lastPhase)) {
      out.println("  " + phase + " …");
    }
    lastPhase = phase;
  }

  /**
   * The progress line for a terminal {@code width} columns wide: {@code width - 1} characters exactly (padded,
   * so that a shorter line wipes a longer one), dropping the least useful parts first when they do not fit.
   */
  static String bar(JsonObject p, int width) {
    long done = p.getLong("rowsDone", 0L);
    long total = Math.max(1, p.getLong("rowsTotal", 1L));
    double f = Math.min(1.0, done / (double) total);
    String[] tails = {
        String.format(Locale.ROOT, " %3d%% %,d/%,d rows %,d rows/s%s (%s, pass %d/%d)", percent(f), done, total,
            p.getLong("rowsPerSecond", 0L), eta(p), p.getString("phase", ""), p.getInteger("pass", 0),
            p.getInteger("passes", 0)),
        String.format(Locale.ROOT, " %3d%% %,d/%,d rows%s (%s)", percent(f), done, total, eta(p),
            p.getString("phase", "")),
        String.format(Locale.ROOT, " %3d%% %,d/%,d rows", percent(f), done, total),
        String.format(Locale.ROOT, " %3d%%", percent(f))};
    int room = width - 1;
    for (String tail : tails) {
      int barWidth = Math.min(MAX_BAR, room - tail.length() - 2);
      if (barWidth >= MIN_BAR || tail == tails[tails.length - 1]) {
        return fit(drawn(f, Math.max(0, barWidth)) + tail, room);
      }
    }
    throw new AssertionError("unreachable");
  }

  private static int percent(double f) {
    return (int) Math.floor(f * 100);
  }

  private static String eta(JsonObject p) {
    return p.containsKey("etaSeconds") ? " ETA " + p.getLong("etaSeconds") + " s" : "";
  }

  private static String drawn(double f, int barWidth) {
    int filled = (int) Math.round(f * barWidth);
    return "[" + "#".repeat(filled) + "-".repeat(barWidth - filled) + "]";
  }

  private static String fit(String line, int room) {
    return line.length() >= room ? line.substring(0, room) : line + " ".repeat(room - line.length());
  }

  /** Prints the summary of a final report; a bar on screen is first completed (100 % when the job succeeded). */
  synchronized void summary(JsonObject r) {
    if (lastBar != null) {
      JsonObject last = lastBar.copy().put("rowsDone", r.getLong("rowsDone", 0L))
          .put("rowsTotal", r.getLong("rowsTotal", 0L)).put("rowsPerSecond", r.getLong("rowsPerSecond", 0L))
          .put("phase", r.getString("state", ""));
      last.remove("etaSeconds");
      out.println("\r" + bar(last, width));
    }
    out.printf(Locale.ROOT, "%s (%s) %s in %.1f s%n", r.getString("pipeline"), r.getString("mode"),
        r.getString("state"), r.getLong("elapsedMs", 0L) / 1000.0);
    if (r.containsKey("error")) {
      JsonObject e = r.getJsonObject("error");
      out.println("  error      " + e.getString("code") + ": " + e.getString("message"));
    }
    if (r.containsKey("training")) {
      training(r.getJsonObject("training"));
    }
    if (r.containsKey("scoring")) {
      scoring(r.getJsonObject("scoring"));
    }
    if (r.containsKey("batches")) {
      batches(r.getJsonObject("batches"));
    }
    if (r.containsKey("report")) {
      out.println("  report     " + r.getString("report"));
    }
  }

  /** Which node handled how many batches of each stage; requests resent; members that left. */
  private void batches(JsonObject b) {
    JsonObject stages = b.getJsonObject("stages", new JsonObject());
    for (String stage : stages.fieldNames()) {
      JsonObject s = stages.getJsonObject(stage);
      StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "  %-10s %s:", "batches", stage));
      s.getJsonObject("nodes", new JsonObject()).forEach(e -> sb.append(String.format(Locale.ROOT, " %s %,d", e.getKey(),
          ((Number) e.getValue()).longValue())));
      if (s.containsKey("resent")) {
        sb.append(String.format(Locale.ROOT, " (%,d resent)", s.getLong("resent")));
      }
      out.println(sb);
    }
    if (b.getInteger("membersLeft", 0) > 0) {
      out.println("  cluster    " + b.getInteger("membersLeft") + " member(s) left while the job ran");
    }
  }

  private void training(JsonObject t) {
    JsonObject src = t.getJsonObject("source");
    if (src != null) { // absent when the job failed before it read its source: no "0 rows from ?" line
      out.printf(Locale.ROOT, "  training   %,d rows from %s (read %,d, rejected %,d, without label %,d)%n",
          t.getLong("trainRows", 0L), src.getString("source"), src.getLong("rowsRead", 0L),
          src.getLong("rowsRejected", 0L), t.getLong("rowsWithoutLabel", 0L));
    }
    JsonObject pre = t.getJsonObject("preprocessor");
    if (pre != null) {
      out.printf(Locale.ROOT, "  features   %d: %s%n", pre.getJsonArray("features").size(),
          String.join(", ", pre.getJsonArray("features").stream().map(String::valueOf).toList()));
    }
    JsonObject m = t.getJsonObject("model");
    if (m != null) {
      JsonObject fit = m.getJsonObject("fit");
      out.printf(Locale.ROOT, "  model      %s%s%n", m.getString("id"), fit == null ? ""
          : " (" + (fit.getBoolean("converged") ? "converged" : "NOT converged") + " in " + fit.getInteger("n_iter")
          + (fit.getInteger("n_iter") == 1 ? " Newton step)" : " Newton steps)"));
      artifacts(pre, m);
    }
    JsonObject ev = t.getJsonObject("evaluation");
    if (ev != null) {
      evaluation("evaluation", ev);
    }
    JsonObject cv = t.getJsonObject("crossValidation");
    if (cv != null) {
      crossValidation(cv);
    }
  }

  /** The folds' mean and standard deviation of each metric the evaluation line shows. */
  private void crossValidation(JsonObject cv) {
    JsonObject mean = cv.getJsonObject("mean", new JsonObject());
    JsonObject std = cv.getJsonObject("std", new JsonObject());
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "  %-10s %d folds%s, mean ± std", "cross-val",
        cv.getInteger("folds", 0), cv.getBoolean("stratified", false) ? " (stratified)" : ""));
    for (String k : METRICS) {
      if (mean.getValue(k) instanceof Number v) {
        sb.append(String.format(Locale.ROOT, "  %s %.4f", k, v.doubleValue()));
        if (std.getValue(k) instanceof Number d) {
          sb.append(String.format(Locale.ROOT, " ± %.4f", d.doubleValue()));
        }
      }
    }
    out.println(sb);
  }

  private void artifacts(JsonObject pre, JsonObject m) {
    JsonObject p = pre == null ? new JsonObject() : pre;
    if (p.containsKey("path") || m.containsKey("path")) {
      out.println("  saved      " + p.getString("path", "-") + ", " + m.getString("path", "-"));
    }
  }

  /** The metrics the summary shows, in this order, where a report has them. */
  private static final String[] METRICS = {"accuracy", "precision_macro", "recall_macro", "f1_macro", "log_loss",
      "roc_auc", "rmse", "mae", "r2"};

  private void evaluation(String title, JsonObject ev) {
    JsonObject m = ev.getJsonObject("metrics", new JsonObject());
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "  %-10s %,d test rows", title,
        ev.getLong("rows", 0L)));
    for (String k : METRICS) {
      if (m.containsKey(k)) {
        sb.append(String.format(Locale.ROOT, "  %s %.4f", k, m.getDouble(k)));
      }
    }
    out.println(sb);
    JsonArray cm = m.getJsonArray("confusion_matrix");
    if (cm != null) {
      out.println("             confusion matrix (rows: true " + m.getJsonArray("labels").encode() + ", columns: "
          + "predicted) " + cm.encode());
    }
    if (ev.getString("note") != null) {
      out.println("             " + ev.getString("note"));
    }
  }

  private void scoring(JsonObject s) {
    JsonObject src = s.getJsonObject("source", new JsonObject());
    if (s.containsKey("rowsWritten")) {
      out.printf(Locale.ROOT, "  scoring    %,d rows of %s -> %s (rejected %,d, unseen levels %s)%n",
          s.getLong("rowsWritten"), src.getString("source", "?"), s.getString("output"),
          src.getLong("rowsRejected", 0L), s.getJsonObject("unknownLevels", new JsonObject()).encode());
    }
    if (s.containsKey("evaluation")) {
      evaluation("scored", s.getJsonObject("evaluation"));
    }
  }
}
