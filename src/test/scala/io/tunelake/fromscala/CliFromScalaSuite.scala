package io.tunelake.fromscala

import io.tunelake.SparkTestSession
import io.tunelake.cli.Main
import java.nio.file.Files
import org.scalatest.funsuite.AnyFunSuite

/**
 * The command line called from a Scala job on the shared session, its trials then read back
 * with SQL as a data engineer would. The suite lives outside `io.tunelake`, so it can reach
 * public API only.
 */
class CliFromScalaSuite extends AnyFunSuite {
  private lazy val spark = SparkTestSession.get()

  test("a study run from Scala lands every trial once in the trials table, readable with SQL") {
    val store = SparkTestSession.tempDir("scala-cli-store")
    val data = SparkTestSession.dataFile("sample_multiclass_classification_data.csv")
    val spec = SparkTestSession.tempDir("scala-cli-spec").resolve("iris.yaml")
    Files.writeString(spec,
      s"""study: iris-from-scala
         |data: {path: '$data'}
         |estimator: logistic_regression
         |space:
         |  regParam: {low: 0.001, high: 1.0, log: true}
         |  maxIter: 10
         |evaluation: {metric: accuracy, folds: 2}
         |search: {algorithm: random, trials: 4, batch_size: 2, seed: 7}
         |""".stripMargin)

    assert(Main.run("tune", spec.toString, "--store", store.toString) === 0)

    val trials = spark.sql(
      s"SELECT trial_id, status, mean FROM delta.`$store/trials` WHERE study = 'iris-from-scala' ORDER BY trial_id")
      .collect()
    assert(trials.map(_.getAs[Int]("trial_id")).toSeq === (1 to 4))
    assert(trials.forall(_.getAs[String]("status") == "COMPLETE"))
    assert(trials.forall { r => val m = r.getAs[Double]("mean"); m > 0.5 && m <= 1.0 })
  }
}
