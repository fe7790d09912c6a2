package io.tunelake.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Each domain kind maps its values to the unit interval and back, with bounds and rounding at the edges. */
class DomainTest {

  @Test
  void floatRange_linear_roundTripsAndMapsTheBoundsToTheEdges() {
    FloatRange r = FloatRange.of("elasticNetParam", -2.0, 6.0);
    assertEquals(0.0, r.toUnit(-2.0));
    assertEquals(1.0, r.toUnit(6.0));
    assertEquals(0.25, r.toUnit(0.0));
    for (double v : new double[] {-2.0, -1.3, 0.0, 2.5, 5.999, 6.0}) {
      assertEquals(v, (Double) r.fromUnit(r.toUnit(v)), 1e-12);
    }
  }

  @Test
  void floatRange_fromUnit_clampsOutsideTheCubeAndTakesTheMiddleForNaN() {
    FloatRange r = FloatRange.of("x", 1.0, 3.0);
    assertEquals(1.0, r.fromUnit(-0.5));
    assertEquals(3.0, r.fromUnit(1.5));
    assertEquals(2.0, r.fromUnit(Double.NaN));
  }

  @Test
  void floatRange_log_isUniformInTheLogarithm() {
    FloatRange r = FloatRange.logOf("regParam", 1e-4, 1.0);
    assertEquals(0.5, r.toUnit(1e-2), 1e-12);
    assertEquals(1e-2, (Double) r.fromUnit(0.5), 1e-15);
    assertEquals(1e-4, r.fromUnit(0.0));
    assertEquals(1.0, (Double) r.fromUnit(1.0), 1e-15);
    for (double v : new double[] {1e-4, 3.3e-4, 0.05, 0.999, 1.0}) {
      assertEquals(v, (Double) r.fromUnit(r.toUnit(v)), v * 1e-12);
    }
  }

  @Test
  void floatRange_step_roundsToMultiplesAboveLowAndNeverPassesHigh() {
    FloatRange r = new FloatRange("subsamplingRate", 0.1, 1.0, false, 0.2);
    for (double u = 0; u <= 1.0; u += 0.01) {
      double v = (Double) r.fromUnit(u);
      double k = (v - 0.1) / 0.2;
      assertEquals(Math.rint(k), k, 1e-9, "value " + v + " at u=" + u);
      assertTrue(v >= 0.1 && v <= 1.0, "value " + v + " at u=" + u);
    }
    assertEquals(0.9, (Double) r.fromUnit(1.0), 1e-12);
    assertEquals(0.1, (Double) r.fromUnit(0.0), 1e-12);
  }

  @Test
  void floatRange_coerce_acceptsAHairOutsideAfterJsonButRefusesFarOutside() {
    FloatRange r = FloatRange.of("x", 0.0, 1.0);
    assertEquals(1.0, r.coerce(1.0 + 1e-12));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.coerce(1.5));
    assertEquals("parameter 'x': expected a number in [0.0, 1.0], but got 1.5", e.getMessage());
  }

  @Test
  void intRange_linear_givesEveryIntegerAnEqualSlice() {
    IntRange r = IntRange.of("maxDepth", 1, 4);
    assertEquals(List.of(1, 1, 2, 2, 3, 3, 4, 4),
        List.of(r.fromUnit(0.0), r.fromUnit(0.249), r.fromUnit(0.251), r.fromUnit(0.499),
            r.fromUnit(0.501), r.fromUnit(0.749), r.fromUnit(0.751), r.fromUnit(1.0)));
    for (int v = 1; v <= 4; v++) {
      assertEquals(v, r.fromUnit(r.toUnit(v)));
    }
    assertEquals(0.125, r.toUnit(1));
  }

  @Test
  void intRange_step_roundTripsItsValuesAndRefusesOthers() {
    IntRange r = new IntRange("numTrees", 10, 100, false, 30);
    assertEquals(4, r.size());
    for (int v : new int[] {10, 40, 70, 100}) {
      assertEquals(v, r.fromUnit(r.toUnit(v)));
    }
    assertEquals(10, r.fromUnit(0.0));
    assertEquals(100, r.fromUnit(1.0));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.coerce(50));
    assertEquals("parameter 'numTrees': expected an integer in [10, 100] with step 30, but got 50", e.getMessage());
  }

  @Test
  void intRange_log_roundTripsEveryIntegerAndReachesBothBounds() {
    IntRange r = IntRange.logOf("numTrees", 1, 1000);
    for (int v = 1; v <= 1000; v++) {
      assertEquals(v, r.fromUnit(r.toUnit(v)), "value " + v);
    }
    assertEquals(1, r.fromUnit(0.0));
    assertEquals(1000, r.fromUnit(1.0));
    // On a log scale small values get wider slices than large ones.
    assertTrue(r.toUnit(2) - r.toUnit(1) > r.toUnit(1000) - r.toUnit(999));
  }

  @Test
  void intRange_coerce_takesWholeNumbersOfAnyTypeAndRefusesFractions() {
    IntRange r = IntRange.of("k", 0, 10);
    assertEquals(3, r.coerce(3L));
    assertEquals(3, r.coerce(3.0));
    assertThrows(IllegalArgumentException.class, () -> r.coerce(3.5));
    assertThrows(IllegalArgumentException.class, () -> r.coerce(11));
  }

  @Test
  void categorical_roundTripsEveryChoiceThroughTheCentreOfItsSlice() {
    Categorical c = Categorical.of("impurity", "gini", "entropy", "variance");
    assertEquals(0.5, c.toUnit("entropy"), 1e-12);
    for (Object v : c.choices()) {
      assertEquals(v, c.fromUnit(c.toUnit(v)));
    }
    assertEquals("gini", c.fromUnit(0.0));
    assertEquals("variance", c.fromUnit(1.0));
  }

  @Test
  void categorical_numbersReadBackAsAnotherTypeMatchTheirChoice() {
    Categorical c = Categorical.of("maxBins", 16, 32, 64);
    assertEquals(32, c.coerce(32L));
    assertEquals(32, c.coerce(32.0));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.coerce(48));
    assertEquals("parameter 'maxBins': expected one of [16, 32, 64], but got '48'", e.getMessage());
  }

  @Test
  void fixed_isNotSearchedAndAlwaysGivesItsValue() {
    Fixed f = new Fixed("family", "binomial");
    assertFalse(f.isSearched());
    assertEquals("binomial", f.fromUnit(0.0));
    assertEquals("binomial", f.fromUnit(1.0));
    assertEquals(0.5, f.toUnit("binomial"));
    assertThrows(IllegalArgumentException.class, () -> f.toUnit("multinomial"));
  }

  @Test
  void invalidRanges_sayTheInvariantAndTheFix() {
    assertEquals("`low <= high` must hold for parameter 'regParam', but got low=1.0, high=0.1; swap them",
        assertThrows(IllegalArgumentException.class, () -> FloatRange.of("regParam", 1.0, 0.1)).getMessage());
    assertEquals("a log-scaled range needs low > 0 for parameter 'numTrees', but got low=0; raise low or drop log",
        assertThrows(IllegalArgumentException.class, () -> IntRange.logOf("numTrees", 0, 10)).getMessage());
    assertEquals("parameter 'x': a log-scaled range cannot have a step, but got step=0.1",
        assertThrows(IllegalArgumentException.class, () -> new FloatRange("x", 1, 2, true, 0.1)).getMessage());
  }
}
