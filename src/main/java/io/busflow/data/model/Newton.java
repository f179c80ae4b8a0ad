package io.busflow.data.model;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * Newton's method with a backtracking (Armijo) line search for a smooth convex objective. Stops when the
 * largest gradient entry divided by {@code gradientScale} is at most {@code tol} (scikit-learn's lbfgs
 * tolerance, on its objective divided by C·N), or after {@code maxIter} steps. Checks
 * {@link io.busflow.data.Cancellation} before each step.
 */
final class Newton {

  /** The objective: value, and gradient and Hessian at a point. */
  interface Objective {
    double value(DMatrixRMaj theta);

    /** Fills {@code g} (p × 1) and {@code h} (p × p) at {@code theta}. */
    void derivatives(DMatrixRMaj theta, DMatrixRMaj g, DMatrixRMaj h);

    /** {@link #derivatives} and the value at {@code theta}, the same numbers as the two calls apart. */
    default double valueAndDerivatives(DMatrixRMaj theta, DMatrixRMaj g, DMatrixRMaj h) {
      derivatives(theta, g, h);
      return value(theta);
    }
  }

  /** Where Newton stopped. */
  record Result(DMatrixRMaj theta, int iterations, boolean converged) {
  }

  private Newton() {
  }

  /**
   * The minimum from θ = 0. A full step's trial point is evaluated with its derivatives in one go
   * ({@link Objective#valueAndDerivatives}): Newton's full step is nearly always taken, and then the next
   * iteration has its derivatives already; a shorter step's trial points are evaluated alone.
   */
  static Result minimize(Objective f, int p, double gradientScale, double tol, int maxIter) {
    DMatrixRMaj theta = new DMatrixRMaj(p, 1);
    DMatrixRMaj g = new DMatrixRMaj(p, 1);
    DMatrixRMaj h = new DMatrixRMaj(p, p);
    DMatrixRMaj step = new DMatrixRMaj(p, 1);
    Trial trial = new Trial(p);
    double value = f.valueAndDerivatives(theta, g, h);
    boolean known = true;
    for (int iter = 0; iter <= maxIter; iter++) {
      io.busflow.data.Cancellation.check();
      if (!known) {
        f.derivatives(theta, g, h);
      }
      if (CommonOps_DDRM.elementMaxAbs(g) / gradientScale <= tol) {
        return new Result(theta, iter, true);
      }
      if (iter == maxIter || !solve(h, g, step)) {
        return new Result(theta, iter, false);
      }
      double next = lineSearch(f, theta, step, g, value, trial);
      if (Double.isNaN(next)) {
        return new Result(theta, iter, false);
      }
      known = trial.full;
      if (known) {
        g.setTo(trial.g);
        h.setTo(trial.h);
      }
      value = next;
    }
    return new Result(theta, maxIter, false);
  }

  /** A line search's trial point; with the full step, its gradient and Hessian, and whether it was taken. */
  private static final class Trial {
    final DMatrixRMaj theta;
    final DMatrixRMaj g;
    final DMatrixRMaj h;
    boolean full;

    Trial(int p) {
      theta = new DMatrixRMaj(p, 1);
      g = new DMatrixRMaj(p, 1);
      h = new DMatrixRMaj(p, p);
    }
  }

  private static boolean solve(DMatrixRMaj h, DMatrixRMaj g, DMatrixRMaj step) {
    LinearSolverDense<DMatrixRMaj> chol = LinearSolverFactory_DDRM.chol(h.numRows);
    if (chol.setA(h.copy())) {
      chol.solve(g, step);
      return true;
    }
    LinearSolverDense<DMatrixRMaj> pinv = LinearSolverFactory_DDRM.pseudoInverse(true);
    if (!pinv.setA(h.copy())) {
      return false;
    }
    pinv.solve(g, step);
    return true;
  }

  /**
   * Moves {@code theta} to {@code theta - t·step} for the first halving t meeting Armijo; NaN if none. The full step
   * (t = 1) is evaluated with its derivatives into {@code trial}, whose {@code full} says whether it was taken.
   */
  private static double lineSearch(Objective f, DMatrixRMaj theta, DMatrixRMaj step, DMatrixRMaj g,
      double value, Trial trial) {
    double slope = CommonOps_DDRM.dot(g, step);
    trial.full = false;
    double t = 1.0;
    for (int k = 0; k < 60; k++, t /= 2) {
      CommonOps_DDRM.add(theta, -t, step, trial.theta);
      double v = k == 0 ? f.valueAndDerivatives(trial.theta, trial.g, trial.h) : f.value(trial.theta);
      if (v <= value - 1e-4 * t * slope) {
        theta.setTo(trial.theta);
        trial.full = k == 0;
        return v;
      }
    }
    return Double.NaN;
  }
}
