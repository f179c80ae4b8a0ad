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
  }

  /** Where Newton stopped. */
  record Result(DMatrixRMaj theta, int iterations, boolean converged) {
  }

  private Newton() {
  }

  static Result minimize(Objective f, int p, double gradientScale, double tol, int maxIter) {
    DMatrixRMaj theta = new DMatrixRMaj(p, 1);
    DMatrixRMaj g = new DMatrixRMaj(p, 1);
    DMatrixRMaj h = new DMatrixRMaj(p, p);
    DMatrixRMaj step = new DMatrixRMaj(p, 1);
    double value = f.value(theta);
    for (int iter = 0; iter <= maxIter; iter++) {
      io.busflow.data.Cancellation.check();
      f.derivatives(theta, g, h);
      if (CommonOps_DDRM.elementMaxAbs(g) / gradientScale <= tol) {
        return new Result(theta, iter, true);
      }
      if (iter == maxIter || !solve(h, g, step)) {
        return new Result(theta, iter, false);
      }
      double next = lineSearch(f, theta, step, g, value);
      if (Double.isNaN(next)) {
        return new Result(theta, iter, false);
      }
      value = next;
    }
    return new Result(theta, maxIter, false);
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

  /** Moves {@code theta} to {@code theta - t·step} for the first halving t meeting Armijo; NaN if none. */
  private static double lineSearch(Objective f, DMatrixRMaj theta, DMatrixRMaj step, DMatrixRMaj g,
      double value) {
    double slope = CommonOps_DDRM.dot(g, step);
    DMatrixRMaj trial = new DMatrixRMaj(theta.numRows, 1);
    double t = 1.0;
    for (int k = 0; k < 60; k++, t /= 2) {
      CommonOps_DDRM.add(theta, -t, step, trial);
      double v = f.value(trial);
      if (v <= value - 1e-4 * t * slope) {
        theta.setTo(trial);
        return v;
      }
    }
    return Double.NaN;
  }
}
