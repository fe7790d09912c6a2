"""Nightly TuneLake study as an Airflow DAG.

Runs `tunelake tune` with SparkSubmitOperator (the application jar carries Delta, so no
--packages), then checks the best score from the study's JSON summary. TuneLake's exit codes
decide the task's fate: 0 success, 2 invalid spec or data, 3 no complete trial, 4 refused,
143 stopped by SIGTERM (tables intact; the next run continues the study), 1 unexpected.

Set the Airflow Variables `tunelake_jar`, `tunelake_spec` and `tunelake_store`, or keep the
defaults below; `spark_default` is the Spark connection.
"""
import json
from datetime import datetime, timedelta

from airflow import DAG
from airflow.models import Variable
from airflow.operators.python import PythonOperator
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

JAR = "{{ var.value.get('tunelake_jar', '/opt/tunelake/tunelake-0.1.0.jar') }}"
SPEC = "{{ var.value.get('tunelake_spec', '/opt/tunelake/jobs/quickstart.yaml') }}"
STORE = "{{ var.value.get('tunelake_store', 's3a://lake/tunelake') }}"
SUMMARY = "/tmp/tunelake-summary-{{ ds_nodash }}.json"
MIN_SCORE = 0.90

APPLICATION_ARGS = [
    "tune", SPEC,
    "--store", STORE,
    "--set", "study=quickstart-{{ ds_nodash }}",
    "--summary-json", SUMMARY,
    "--summary-stdout",
]


def check_best_score(summary_path, min_score, **_):
    with open(summary_path) as f:
        summary = json.load(f)
    best = summary["best"]["mean"]
    larger_is_better = summary["direction"] == "MAXIMIZE"
    ok = best >= min_score if larger_is_better else best <= min_score
    if not ok:
        raise ValueError(f"best {summary['metric']} {best} misses the threshold {min_score}")
    return best


with DAG(
    dag_id="tunelake_nightly",
    start_date=datetime(2026, 1, 1),
    schedule="@daily",
    catchup=False,
    default_args={"retries": 1, "retry_delay": timedelta(minutes=10)},
    tags=["tunelake", "spark"],
) as dag:
    tune = SparkSubmitOperator(
        task_id="tune",
        conn_id="spark_default",
        application=JAR,
        java_class="io.tunelake.cli.Main",
        application_args=APPLICATION_ARGS,
        conf={
            "spark.scheduler.mode": "FAIR",
            "spark.serializer": "org.apache.spark.serializer.KryoSerializer",
            "spark.sql.adaptive.enabled": "true",
            "spark.databricks.delta.snapshotPartitions": "2",
        },
        executor_memory="8g",
        execution_timeout=timedelta(hours=4),
    )

    check = PythonOperator(
        task_id="check_best_score",
        python_callable=check_best_score,
        op_kwargs={"summary_path": SUMMARY, "min_score": MIN_SCORE},
    )

    tune >> check
