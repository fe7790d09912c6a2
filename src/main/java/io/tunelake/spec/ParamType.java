package io.tunelake.spec;

/** The value type an estimator's parameter takes, as far as a search space cares. */
public enum ParamType {
  INT,
  DOUBLE,
  STRING,
  BOOLEAN;
}
