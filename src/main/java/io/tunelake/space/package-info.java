/**
 * Search spaces: the domain of each hyperparameter (float and int ranges, linear or log,
 * categorical choices, fixed values), the conditions between parameters, the mapping of an
 * assignment to and from the unit cube that optimizers search in, and the JSON form stored
 * with each trial. Plain Java, no Spark.
 */
package io.tunelake.space;
