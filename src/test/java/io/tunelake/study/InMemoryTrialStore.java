package io.tunelake.study;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A trial store in a map, with the same keep-once semantics as the Delta store. */
final class InMemoryTrialStore implements TrialStore {
  final Map<String, Trial> trials = new LinkedHashMap<>();
  int commits;

  @Override
  public List<Trial> history(String study) {
    List<Trial> out = new ArrayList<>();
    trials.values().stream().filter(t -> t.study().equals(study)).forEach(out::add);
    out.sort(Comparator.comparingInt(Trial::trialId));
    return out;
  }

  @Override
  public void commit(List<Trial> round) {
    commits++;
    round.forEach(t -> trials.putIfAbsent(t.study() + "/" + t.trialId(), t));
  }
}
