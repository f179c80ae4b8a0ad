package io.busflow.data.transform;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Splits a preprocessor's steps into groups that can each be fitted in one pass over the data as it is at
 * the group's start. A stateful step joins the current group when every column it reads is, at that point,
 * either untouched within the group or changed only by imputers (their fill values are applied to its
 * statistics at the end); otherwise it starts a new group, which needs another pass.
 */
final class FitPlan {

  final List<List<StepSpec>> groups = new ArrayList<>();
  final List<String> reasons = new ArrayList<>();
  private final Set<String> changed = new HashSet<>();
  private final Set<String> prefixes = new HashSet<>();
  private Set<String> selected;

  FitPlan(List<StepSpec> steps) {
    groups.add(new ArrayList<>());
    for (StepSpec s : steps) {
      String conflict = s.stateful() ? conflict(s) : null;
      if (conflict != null) {
        reasons.add(s.describe() + " reads " + conflict);
        groups.add(new ArrayList<>());
        changed.clear();
        prefixes.clear();
        selected = null;
      }
      groups.get(groups.size() - 1).add(s);
      record(s);
    }
  }

  private String conflict(StepSpec s) {
    for (String c : s.columns) {
      if (changed.contains(c) || (selected != null && !selected.contains(c))) {
        return "'" + c + "' changed or removed by an earlier step";
      }
      for (String p : prefixes) {
        if (c.startsWith(p)) {
          return "'" + c + "' made by an earlier one-hot step";
        }
      }
    }
    return null;
  }

  private void record(StepSpec s) {
    switch (s.kind) {
      case SCALE:
      case DROP:
        changed.addAll(s.columns);
        break;
      case ONEHOT:
        changed.addAll(s.columns);
        s.columns.forEach(c -> prefixes.add(c + "="));
        break;
      case SELECT:
        selected = new HashSet<>(s.columns);
        break;
      default:
        break;
    }
  }

  int passes() {
    return groups.size();
  }
}
