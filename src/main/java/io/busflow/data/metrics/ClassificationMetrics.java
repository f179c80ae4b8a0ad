package io.busflow.data.metrics;

import io.busflow.data.Batch;
import io.busflow.data.Column;
import io.busflow.data.NumericColumn;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Classification metrics with scikit-learn's definitions. */
public final class ClassificationMetrics {

  /** scikit-learn's {@code log_loss} clipping: float64 machine epsilon. */
  public static final double EPS = Math.ulp(1.0);

  private ClassificationMetrics() {
  }

  /**
   * Accuracy, macro precision/recall/F1 and the confusion matrix over the sorted union of labels. Labels
   * compare as numbers when both columns are numeric (1.0 equals 1), else as text. Fails on a missing label
   * or different lengths.
   */
  public static ClassificationReport evaluate(Column yTrue, Column yPred) {
    Labels.requireSameSize(yTrue, yPred);
    boolean numbers = Labels.numeric(yTrue) && Labels.numeric(yPred);
    Object[] t = Labels.read(yTrue, numbers);
    Object[] p = Labels.read(yPred, numbers);
    List<Object> labels = sortedUnion(t, p);
    long[][] cm = confusion(t, p, labels);
    return report(labels, cm);
  }

  private static List<Object> sortedUnion(Object[] t, Object[] p) {
    TreeSet<Object> set = new TreeSet<>(Labels::compare);
    java.util.Collections.addAll(set, t);
    java.util.Collections.addAll(set, p);
    return new ArrayList<>(set);
  }

  private static long[][] confusion(Object[] t, Object[] p, List<Object> labels) {
    Map<Object, Integer> idx = new HashMap<>();
    for (int k = 0; k < labels.size(); k++) {
      idx.put(labels.get(k), k);
    }
    long[][] cm = new long[labels.size()][labels.size()];
    for (int i = 0; i < t.length; i++) {
      cm[idx.get(t[i])][idx.get(p[i])]++;
    }
    return cm;
  }

  private static ClassificationReport report(List<Object> labels, long[][] cm) {
    List<String> names = new ArrayList<>();
    labels.forEach(l -> names.add(Labels.text(l)));
    ClassScores s = ClassScores.of(names, cm);
    return new ClassificationReport(names, cm, s.accuracy(), s.macro().precision(), s.macro().recall(),
        s.macro().f1());
  }

  /**
   * Mean negative log-likelihood of the true labels under the probability columns of {@code predictions} (a
   * model's prediction batch; {@code columns.get(k)} holds the probability of {@code classes.get(k)}), as
   * scikit-learn's {@code log_loss}: each row's probabilities clipped to [eps, 1 − eps] (eps = {@link #EPS})
   * and divided by their sum. Fails when a true label is not one of {@code classes}.
   */
  public static double logLoss(Column yTrue, Batch predictions, List<?> classes, List<String> columns) {
    List<NumericColumn> cols = new ArrayList<>();
    Map<String, Integer> idx = new HashMap<>();
    for (int k = 0; k < classes.size(); k++) {
      idx.put(Labels.text(classes.get(k)), cols.size());
      cols.add(predictions.numeric(columns.get(k)));
    }
    Object[] t = Labels.read(yTrue, false);
    double sum = 0;
    for (int i = 0; i < t.length; i++) {
      sum -= Math.log(clippedProbability(cols, column(idx, t[i], i), i));
    }
    return sum / t.length;
  }

  private static int column(Map<String, Integer> idx, Object label, int row) {
    Integer k = idx.get((String) label);
    if (k == null) {
      throw new IllegalArgumentException("log loss: row " + row + " has true label '" + label
          + "', which is not one of the model's classes " + idx.keySet());
    }
    return k;
  }

  private static double clippedProbability(List<NumericColumn> cols, int k, int row) {
    double total = 0;
    for (NumericColumn c : cols) {
      total += clip(c.get(row));
    }
    return clip(cols.get(k).get(row)) / total;
  }

  private static double clip(double p) {
    return Math.min(Math.max(p, EPS), 1 - EPS);
  }

  /**
   * Binary ROC AUC of {@code scores} (higher means the greater label, the positive class, as scikit-learn's
   * {@code roc_auc_score}); tied scores count half, which is scikit-learn's trapezoidal area. Fails unless
   * the true labels hold exactly two classes.
   */
  public static double rocAuc(Column yTrue, double[] scores) {
    return auc(positives(yTrue, scores), scores);
  }

  /**
   * Whether each true label is the positive class, the greater of exactly two (scikit-learn's
   * {@code pos_label} for 0/1 and for sorted text classes). Fails unless the labels hold exactly two classes
   * and there is one score per label.
   */
  static boolean[] positives(Column yTrue, double[] scores) {
    if (scores.length != yTrue.size()) {
      throw new IllegalArgumentException("binary metrics: " + yTrue.size() + " labels but " + scores.length
          + " scores");
    }
    Object[] t = Labels.read(yTrue, Labels.numeric(yTrue));
    List<Object> classes = sortedUnion(t, new Object[0]);
    if (classes.size() != 2) {
      throw new IllegalArgumentException("binary metrics need exactly two classes in the true labels, got "
          + classes.size() + " " + classes);
    }
    boolean[] positive = new boolean[t.length];
    for (int i = 0; i < t.length; i++) {
      positive[i] = t[i].equals(classes.get(1));
    }
    return positive;
  }

  private static double auc(boolean[] positive, double[] scores) {
    Integer[] order = new Integer[scores.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
    double rankSum = 0;
    long pos = 0;
    for (int i = 0; i < order.length; ) {
      int j = i;
      while (j < order.length && scores[order[j]] == scores[order[i]]) {
        j++;
      }
      double rank = (i + 1 + j) / 2.0;
      for (int k = i; k < j; k++) {
        if (positive[order[k]]) {
          rankSum += rank;
          pos++;
        }
      }
      i = j;
    }
    long neg = scores.length - pos;
    return (rankSum - pos * (pos + 1) / 2.0) / ((double) pos * neg);
  }
}
