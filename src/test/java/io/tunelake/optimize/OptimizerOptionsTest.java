package io.tunelake.optimize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelake.space.FloatRange;
import io.tunelake.space.SearchSpace;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every algorithm's options, as spec validation reads and checks them. */
class OptimizerOptionsTest {

  @Test
  void options_listTheDeclaredOptionsOfEachAlgorithm() {
    assertEquals(List.of("startup_trials", "ei_candidates", "prior_weight", "multivariate"),
        Optimizers.options("tpe").stream().map(Option::name).toList());
    assertEquals(List.of("grid_points"), Optimizers.options("grid").stream().map(Option::name).toList());
    assertEquals(List.of(), Optimizers.options("random"));
    Option sigma = Optimizers.options("cmaes").get(2);
    assertEquals("sigma0", sigma.name());
    assertEquals(Option.Type.REAL, sigma.type());
    assertEquals("a number in (0, 1]", sigma.expected());
    assertEquals(0.25, sigma.defaultValue());
  }

  @Test
  void options_ofBayes_holdItsOwnAndBothDelegatesOnce() {
    List<String> names = Optimizers.options("bayes").stream().map(Option::name).toList();
    assertEquals(new HashSet<>(names).size(), names.size(), names.toString());
    assertTrue(names.containsAll(List.of("bayes_gp_max_dims", "gp_max_points", "ei_candidates", "startup_trials")));
  }

  @ParameterizedTest
  @MethodSource("io.tunelake.optimize.OptimizerContractTest#names")
  void everyDeclaredDefault_passesItsOwnCheck(String algorithm) {
    Set<String> names = new HashSet<>();
    for (Option o : Optimizers.options(algorithm)) {
      assertTrue(names.add(o.name()), algorithm + " declares " + o.name() + " twice");
      assertTrue(!o.description().isBlank(), o.name());
      if (o.defaultValue() != null) {
        assertEquals(o.defaultValue(), o.check(o.defaultValue()), o.name());
      }
    }
  }

  @Test
  void checkOptions_unknownKey_namesTheFieldAndTheNearestOption() {
    OptionException e = assertThrows(OptionException.class,
        () -> Optimizers.checkOptions("tpe", Map.of("ei_candidate", 10)));
    assertEquals("search.options.ei_candidate", e.field());
    assertEquals("field 'search.options.ei_candidate': search algorithm 'tpe' has no option 'ei_candidate'; "
        + "did you mean 'ei_candidates'? expected one of [startup_trials, ei_candidates, prior_weight, multivariate]",
        e.getMessage());
  }

  @Test
  void checkOptions_keyOfAnotherAlgorithm_listsWhatThisOneHas() {
    OptionException e = assertThrows(OptionException.class,
        () -> Optimizers.checkOptions("random", Map.of("grid_points", 3)));
    assertEquals("field 'search.options.grid_points': search algorithm 'random' has no option 'grid_points'; "
        + "expected no options", e.getMessage());
  }

  @Test
  void checkOptions_valueOutOfRange_saysTheValueAndTheRange() {
    OptionException e = assertThrows(OptionException.class,
        () -> Optimizers.checkOptions("cmaes", Map.of("sigma0", 0)));
    assertEquals("search.options.sigma0", e.field());
    assertEquals(0, e.value());
    assertEquals("a number in (0, 1]", e.expected());
    assertEquals("field 'search.options.sigma0': expected a number in (0, 1], but got '0'", e.getMessage());
  }

  @Test
  void checkOptions_wrongTypes_areRefused() {
    assertEquals("field 'search.options.grid_points': expected an integer >= 1, but got '2.5'",
        assertThrows(OptionException.class, () -> Optimizers.checkOptions("grid", Map.of("grid_points", 2.5)))
            .getMessage());
    assertEquals("field 'search.options.multivariate': expected true or false, but got 'yes'",
        assertThrows(OptionException.class, () -> Optimizers.checkOptions("tpe", Map.of("multivariate", "yes")))
            .getMessage());
    assertThrows(OptionException.class, () -> Optimizers.checkOptions("tpe", Map.of("prior_weight", "1.0")));
  }

  @Test
  void checkOptions_returnsCanonicalValues() {
    Map<String, Object> given = new LinkedHashMap<>();
    given.put("startup_trials", 12L);
    given.put("ei_candidates", 48.0);
    given.put("prior_weight", 2);
    given.put("multivariate", "false");
    assertEquals(Map.of("startup_trials", 12, "ei_candidates", 48, "prior_weight", 2.0, "multivariate", false),
        Optimizers.checkOptions("tpe", given));
  }

  @Test
  void create_checksTheOptionsFirst() {
    SearchSpace space = SearchSpace.of(FloatRange.of("x", 0, 1));
    OptionException e = assertThrows(OptionException.class, () -> Optimizers.create("gp",
        new OptimizerConfig(space, Direction.MINIMIZE, 1, Map.of("gp_max_point", 50))));
    assertEquals("search.options.gp_max_point", e.field());
  }

  @Test
  void unknownAlgorithm_isRefusedWithTheKnownNames() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Optimizers.options("tpee"));
    assertEquals("unknown search algorithm 'tpee'; expected one of [random, grid, sobol, tpe, gp, cmaes, bayes, nsga2, motpe, pbt]",
        e.getMessage());
  }
}
