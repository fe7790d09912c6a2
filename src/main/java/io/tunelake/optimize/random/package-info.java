/**
 * Random search (Bergstra and Bengio 2012): independent uniform draws in the unit cube, the
 * baseline every other optimizer is measured against.
 */
package io.tunelake.optimize.random;
