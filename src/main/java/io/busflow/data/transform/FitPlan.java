package io.busflow.data.transform;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a preprocessor's steps into groups that can each be fitted in one pass over the data as it is at
 * the group's start. A step that fits joins the current group unless it reads a column that a step before it
 * in the group {@link Step#touches touches} — except a column only filled by imputers, when the step fits
 * from column statistics ({@link StatsStep}: the fill values are applied to its statistics at the end);
 * otherwise it starts a new group, which needs another pass.
 */
final class FitPlan {

  /** A step of the spec with its place: {@code steps[position]}, written as {@code {name: …}}. */
  record Planned(int position, String name, Step step) {
    String describe() {
      return "steps[" + position + "] (" + name + ")";
    }
  }

  final List<List<Planned>> groups = new ArrayList<>();
  final List<String> reasons = new ArrayList<>();

  FitPlan(List<Planned> steps) {
    groups.add(new ArrayList<>());
    for (Planned s : steps) {
      List<Planned> group = groups.get(groups.size() - 1);
      String conflict = s.step().fits() ? conflict(group, s) : null;
      if (conflict != null) {
        reasons.add(s.describe() + " reads " + conflict);
        group = new ArrayList<>();
        groups.add(group);
      }
      group.add(s);
    }
  }

  private static String conflict(List<Planned> group, Planned s) {
    for (String c : s.step().reads()) {
      for (Planned before : group) {
        boolean filledOnly = before.step() instanceof StatsStep b && b.fillsOnly() && s.step() instanceof StatsStep;
        if (before.step().touches(c) && !filledOnly) {
          return "'" + c + "' changed, removed or made by " + before.describe();
        }
      }
    }
    return null;
  }

  int passes() {
    return groups.size();
  }
}
