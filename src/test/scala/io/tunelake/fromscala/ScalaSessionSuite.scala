package io.tunelake.fromscala

import io.tunelake.{ParamSpace, SparkTestSession, TuneLakeValidator, TunedModel}
import org.apache.spark.ml.{Pipeline, PipelineModel}
import org.apache.spark.ml.classification.LogisticRegression
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator
import org.apache.spark.ml.feature.{StringIndexer, VectorAssembler}
import org.apache.spark.ml.tuning.{CrossValidator, ParamGridBuilder}
import org.apache.spark.ml.util.Identifiable
import org.apache.spark.sql.{DataFrame, Dataset}
import org.apache.spark.sql.functions.{col, lit, pmod, xxhash64}
import org.scalatest.BeforeAndAfterAll
import org.scalatest.funsuite.AnyFunSuite

import java.util.concurrent.atomic.AtomicInteger

/** A user's own evaluator, broken on purpose from its `failFromCall`-th call on (1-based). */
class FlakyEvaluator(uid: String) extends BinaryClassificationEvaluator(uid) {
  def this() = this(Identifiable.randomUID("flakyEval"))

  private val calls = new AtomicInteger()
  @volatile private var failFrom = Int.MaxValue

  def failFromCall(n: Int): this.type = { failFrom = n; this }

  override def evaluate(dataset: Dataset[_]): Double = {
    if (calls.incrementAndGet() >= failFrom) throw new IllegalStateException("evaluator broken on purpose")
    super.evaluate(dataset)
  }
}

/**
 * The public API as a spark-shell user writes it: a Pipeline built in Scala, tuned by grid and
 * by search, its trials queried with SQL, the model saved and loaded. The suite lives outside `io.tunelake`, so it can reach public API only; docs/api.md
 * shows the same lines.
 */
class ScalaSessionSuite extends AnyFunSuite with BeforeAndAfterAll {
  private lazy val spark = SparkTestSession.get()
  private var adult: DataFrame = _

  override def beforeAll(): Unit = {
    adult = spark.read.option("header", "true").option("inferSchema", "true")
      .csv(SparkTestSession.headOf("adult.csv", 2000).toString)
      .select(col("age").cast("double"), col("education_num").cast("double"), col("hours_per_week").cast("double"),
        col("sex"), col("label").cast("double"))
      .withColumn("fold", pmod(xxhash64(col("age"), col("education_num"), col("hours_per_week"), col("sex"),
        col("label")), lit(3)).cast("int"))
      .cache()
  }

  override def afterAll(): Unit = adult.unpersist()

  private def store(name: String): String = SparkTestSession.tempDir(name).toString

  /** The user's pipeline, built anew as each session would build it. */
  private def pipeline(): (Pipeline, LogisticRegression) = {
    val indexer = new StringIndexer().setInputCol("sex").setOutputCol("sex_idx")
    val assembler = new VectorAssembler()
      .setInputCols(Array("age", "education_num", "hours_per_week", "sex_idx")).setOutputCol("features")
    val lr = new LogisticRegression().setMaxIter(20)
    (new Pipeline().setStages(Array(indexer, assembler, lr)), lr)
  }

  test("a ParamGridBuilder grid over a Scala Pipeline scores as CrossValidator on the same folds") {
    val (pipeline, lr) = this.pipeline()
    val grid = new ParamGridBuilder()
      .addGrid(lr.regParam, Array(0.001, 0.1))
      .addGrid(lr.elasticNetParam, Array(0.0, 0.5))
      .build()
    val evaluator = new BinaryClassificationEvaluator()

    val cv = new CrossValidator().setEstimator(pipeline).setEstimatorParamMaps(grid).setEvaluator(evaluator)
      .setNumFolds(3).setFoldCol("fold").fit(adult)
    val tuned = new TuneLakeValidator().setEstimator(pipeline).setEstimatorParamMaps(grid).setEvaluator(evaluator)
      .setNumFolds(3).setFoldCol("fold").setStudy("adult-grid").setStorePath(store("scala-grid")).fit(adult)

    tuned.avgMetrics.zip(cv.avgMetrics).foreach { case (ours, theirs) => assert(math.abs(ours - theirs) < 1e-9) }
    val best = cv.avgMetrics.indexOf(cv.avgMetrics.max)
    assert(tuned.bestParams.get(lr.regParam) === grid(best).get(lr.regParam))
    assert(tuned.bestParams.get(lr.elasticNetParam) === grid(best).get(lr.elasticNetParam))
    assert(tuned.trials.count() === grid.length)
  }

  test("a space over the Pipeline's own Params; its trials queried with SQL, VERSION AS OF a round") {
    val (pipeline, lr) = this.pipeline()
    val base = store("scala-space")
    val space = ParamSpace.builder()
      .logUniform(lr.regParam, 1e-4, 1.0)
      .uniform(lr.elasticNetParam, 0.0, 1.0)
      .choice(lr.fitIntercept, true, false)
      .build()
    val tuned = new TuneLakeValidator().setEstimator(pipeline).setSearchSpace(space)
      .setEvaluator(new BinaryClassificationEvaluator()).setAlgorithm("random").setTrials(4).setBatchSize(2)
      .setStudy("adult-lr").setStorePath(base).fit(adult)

    val regParam = tuned.bestParams.get(lr.regParam).get
    assert(regParam >= 1e-4 && regParam <= 1.0)
    val trials = s"delta.`$base/trials`"
    val rounds = spark.sql(s"SELECT round, count(*) AS n FROM $trials WHERE study = 'adult-lr' GROUP BY round ORDER BY round")
      .collect().map(r => r.getInt(0) -> r.getLong(1)).toSeq
    assert(rounds === Seq(1 -> 2L, 2 -> 2L))
    val versions = spark.sql(s"DESCRIBE HISTORY $trials").collect().map(_.getAs[Long]("version")).sorted
    val counts = versions.map(v => spark.sql(s"SELECT count(*) FROM $trials VERSION AS OF $v WHERE study = 'adult-lr'")
      .head().getLong(0)).toSeq
    assert(counts.contains(2L), s"a version holds the first round alone: $counts")
    assert(counts.last === 4L)
  }

  test("a TunedModel saved and loaded scores held-out rows as the tuned one does") {
    val (pipeline, lr) = this.pipeline()
    val Array(train, test) = adult.randomSplit(Array(0.8, 0.2), 7)
    val tuned = new TuneLakeValidator().setEstimator(pipeline)
      .setSearchSpace(ParamSpace.builder().logUniform(lr.regParam, 1e-4, 1.0).build())
      .setEvaluator(new BinaryClassificationEvaluator()).setAlgorithm("random").setTrials(2).setBatchSize(2)
      .setStudy("adult-saved").setStorePath(store("scala-saved")).fit(train)

    val path = SparkTestSession.tempDir("scala-model").resolve("tuned").toString
    tuned.write.overwrite().save(path)
    val loaded = TunedModel.load(path)

    assert(loaded.bestMetric === tuned.bestMetric)
    assert(loaded.bestModel.isInstanceOf[PipelineModel])
    val scored = loaded.transform(test).select("prediction").collect().toSeq
    assert(scored.length === test.count())
    assert(scored === tuned.transform(test).select("prediction").collect().toSeq)
  }

  test("a study whose evaluator throws in round 2 stops there; fitting again resumes it, each trial id once") {
    val (pipeline, lr) = this.pipeline()
    val base = store("scala-resume")
    val validator = new TuneLakeValidator().setEstimator(pipeline)
      .setSearchSpace(ParamSpace.builder().logUniform(lr.regParam, 1e-4, 1.0).build())
      .setNumFolds(3).setFoldCol("fold").setAlgorithm("random").setTrials(6).setBatchSize(2)
      .setStudy("adult-resume").setStorePath(base)
    val trials = s"delta.`$base/trials`"

    val stopped = intercept[IllegalStateException] {
      validator.setEvaluator(new FlakyEvaluator().failFromCall(7)).fit(adult)  // round 2 throws
    }
    assert(stopped.getMessage.contains("round 2 of study 'adult-resume' could not be evaluated"), stopped.getMessage)
    assert(stopped.getMessage.contains("evaluator broken on purpose"), stopped.getMessage)
    val roundOne = spark.sql(s"SELECT * FROM $trials WHERE study = 'adult-resume' ORDER BY trial_id").collect().toSeq
    assert(roundOne.map(_.getAs[Int]("trial_id")) === Seq(1, 2))
    assert(roundOne.map(_.getAs[String]("status")) === Seq("COMPLETE", "COMPLETE"))

    val tuned = validator.setEvaluator(new FlakyEvaluator()).fit(adult)                      // resumes at trial 3

    val ids = spark.sql(s"SELECT trial_id, count(*) FROM $trials WHERE study = 'adult-resume' GROUP BY trial_id " +
      "ORDER BY trial_id").collect().map(r => r.getInt(0) -> r.getLong(1)).toSeq
    assert(ids === (1 to 6).map(_ -> 1L))
    assert(spark.sql(s"SELECT * FROM $trials WHERE study = 'adult-resume' AND round = 1 ORDER BY trial_id")
      .collect().toSeq === roundOne)
    assert(tuned.trials.count() === 6)
  }
}
