/**
 * Grid search: the Cartesian product of each parameter's grid values, as MLlib's
 * {@code ParamGridBuilder} builds it, with conditional parameters expanded only where active.
 */
package io.tunelake.optimize.grid;
