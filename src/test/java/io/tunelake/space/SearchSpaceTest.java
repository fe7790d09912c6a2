package io.tunelake.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A space of several domains: unit-cube round trips, conditions and the JSON form. */
class SearchSpaceTest {

  /** A model family with conditional children, one of them nested. */
  static SearchSpace space() {
    return SearchSpace.of(
        List.of(
            Categorical.of("model", "lr", "gbt"),
            FloatRange.logOf("regParam", 1e-4, 1.0),
            IntRange.logOf("maxIter", 10, 1000),
            Categorical.of("boost", "fast", "deep"),
            IntRange.of("maxDepth", 2, 12),
            new FloatRange("stepSize", 0.05, 0.5, false, 0.05),
            new Fixed("seed", 7)),
        Map.of("regParam", Condition.of("model", "lr"),
            "maxIter", Condition.of("model", "lr"),
            "boost", Condition.of("model", "gbt"),
            "maxDepth", Condition.of("boost", "deep"),
            "stepSize", Condition.of("model", "gbt")));
  }

  @Test
  void fromUnit_thenToUnit_givesBackTheAssignment() {
    SearchSpace space = space();
    Random rng = new Random(3);
    for (int i = 0; i < 200; i++) {
      Map<String, Object> p = space.sample(rng);
      assertEquals(p, space.fromUnit(space.toUnit(p)), p.toString());
      assertTrue(space.contains(p), p.toString());
    }
  }

  @Test
  void inactiveChildren_areAbsentFromTheAssignmentAndNaNInTheCube() {
    SearchSpace space = space();
    double[] u = {0.25, 0.5, 0.5, 0.75, 0.5, 0.5, 0.5};
    Map<String, Object> lr = space.fromUnit(u);
    assertEquals(List.of("model", "regParam", "maxIter", "seed"), List.copyOf(lr.keySet()));
    u[0] = 0.75;
    Map<String, Object> gbt = space.fromUnit(u);
    assertEquals(List.of("model", "boost", "maxDepth", "stepSize", "seed"), List.copyOf(gbt.keySet()));
    double[] back = space.toUnit(lr);
    assertTrue(Double.isNaN(back[3]) && Double.isNaN(back[4]) && Double.isNaN(back[5]));
  }

  @Test
  void nestedChild_isInactiveWhenItsParentIs() {
    SearchSpace space = space();
    Map<String, Object> fast = space.fromUnit(new double[] {0.75, 0.5, 0.5, 0.25, 0.5, 0.5, 0.5});
    assertFalse(fast.containsKey("maxDepth"), fast.toString());
    assertFalse(space.isActive("maxDepth", Map.of("model", "lr", "boost", "deep")));
    assertTrue(space.isActive("maxDepth", Map.of("model", "gbt", "boost", "deep")));
  }

  @Test
  void canonical_refusesAMissingActiveChildAndAnUnknownParameter() {
    SearchSpace space = space();
    Map<String, Object> missing = new LinkedHashMap<>();
    missing.put("model", "lr");
    missing.put("regParam", 0.01);
    missing.put("seed", 7);
    assertEquals("parameter 'maxIter' is active but has no value in {model=lr, regParam=0.01, seed=7}",
        assertThrows(IllegalArgumentException.class, () -> space.canonical(missing)).getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> space.canonical(Map.of("model", "lr", "regParam", 0.01, "maxIter", 20, "seed", 7, "tol", 1e-6)));
  }

  @Test
  void canonical_dropsNothingButPutsDeclarationOrderAndTypes() {
    Map<String, Object> p = space().canonical(Map.of("seed", 7L, "maxIter", 20.0, "regParam", 0.01, "model", "lr"));
    assertEquals(List.of("model", "regParam", "maxIter", "seed"), List.copyOf(p.keySet()));
    assertEquals(20, p.get("maxIter"));
    assertEquals(7, p.get("seed"));
  }

  @Test
  void json_roundTripsAnAssignmentWithItsTypes() {
    SearchSpace space = space();
    Map<String, Object> p = space.fromUnit(new double[] {0.75, 0.5, 0.5, 0.75, 0.3, 0.41, 0.5});
    String json = ParamsJson.write(p);
    assertEquals(p, ParamsJson.read(json, space));
    assertEquals("{\"model\":\"gbt\",\"boost\":\"deep\",\"maxDepth\":5,\"stepSize\":0.25,\"seed\":7}", json);
  }

  @Test
  void json_wholeNumbersOfARealParameterComeBackAsReals() {
    SearchSpace space = SearchSpace.of(FloatRange.of("x", 0, 10), IntRange.of("k", 0, 10));
    Map<String, Object> p = ParamsJson.read("{\"x\": 3, \"k\": 4.0}", space);
    assertEquals(3.0, p.get("x"));
    assertEquals(4, p.get("k"));
  }

  @Test
  void key_isTheSameWhateverTheOrder() {
    assertEquals(SearchSpace.key(Map.of("a", 1, "b", "x")), SearchSpace.key(new LinkedHashMap<>(Map.of("b", "x", "a", 1))));
  }

  @Test
  void conditionOnALaterParameter_isRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SearchSpace.of(
        List.of(IntRange.of("depth", 1, 3), Categorical.of("kind", "a", "b")),
        Map.of("depth", Condition.of("kind", "a"))));
    assertEquals("parameter 'depth' depends on 'kind', which must be declared before it", e.getMessage());
  }
}
