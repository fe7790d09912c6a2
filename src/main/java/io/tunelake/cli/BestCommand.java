package io.tunelake.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tunelake.delta.StoreReader;
import io.tunelake.delta.StudyRow;
import io.tunelake.optimize.Direction;
import io.tunelake.study.Format;
import io.tunelake.study.StudyOutcome;
import io.tunelake.study.Trial;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code best STUDY}: the best complete trial, its held-out score and model. */
@Command(name = "best", mixinStandardHelpOptions = true, description = "Show the best trial of STUDY.")
final class BestCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "STUDY", description = "The study's name.")
  String study;

  @Mixin
  StoreOption store;

  @Option(names = "--json", description = "Print one JSON object for programs.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    StoreReader reader = store.open("best");
    List<Trial> trials = TrialsCommand.read(reader, store, study);
    Optional<StudyRow> row = reader.study(study);
    Direction direction = row.map(r -> Direction.valueOf(r.direction())).orElse(Direction.MAXIMIZE);
    Optional<Trial> best = StudyOutcome.best(trials, direction);
    if (best.isEmpty()) {
      throw new CommandException(ExitCodes.NO_COMPLETE_TRIAL, "study '" + study + "' has " + trials.size()
          + " trials and none completed");
    }
    Trial b = best.get();
    if (json) {
      Map<String, Object> m = TrialsCommand.toJson(b);
      m.put("direction", direction.name());
      row.ifPresent(r -> {
        m.put("test_metric", r.testMetric());
        m.put("model_path", r.modelPath());
        m.put("trials_total", trials.size());
      });
      System.out.println(new ObjectMapper().writeValueAsString(m));
    } else {
      System.out.printf("study '%s': best trial %d of %d, %s = %s (95%% CI %s .. %s)%n", study, b.trialId(),
          trials.size(), b.metric(), Format.score(b.stats()), Format.number(b.stats().ciLow()),
          Format.number(b.stats().ciHigh()));
      System.out.printf("  params: %s%n", b.params());
      row.filter(r -> r.testMetric() != null).ifPresent(r -> System.out.printf("  held-out test %s = %s%n",
          b.metric(), Format.number(r.testMetric())));
      row.filter(r -> r.modelPath() != null).ifPresent(r -> System.out.printf("  model: %s%n", r.modelPath()));
    }
    return ExitCodes.OK;
  }
}
