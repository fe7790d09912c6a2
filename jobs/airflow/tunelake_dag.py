"""Nightly TuneLake study as an Airflow DAG.

Runs `tunelake tune` with SparkSubmitOperator (the application jar carries Delta, so no
--packages), then checks the study's best score as the store records it: the check task runs
`tunelake best STUDY --json --store STORE` and reads its one JSON line. It reads no file that
the tune task wrote: in cluster deploy mode the driver runs on another machine, and the two
tasks may run on different Airflow workers. SparkSubmitOperator returns nothing, so it cannot
hand the check an XCom; the check returns the best trial as its own XCom (params, model path)
for the tasks after it.

TuneLake's exit codes decide the tune task's fate: 0 success, 2 invalid spec or data, 3 no
complete trial, 4 refused, 143 stopped by SIGTERM (tables intact; the next run continues the
study), 1 unexpected.

Set the Airflow Variables `tunelake_jar`, `tunelake_spec`, `tunelake_store` and
`tunelake_spark_submit`, or keep the defaults below; `spark_default` is the Spark connection.
The check runs spark-submit in local mode on the Airflow worker, so that worker needs read
access to the store, as the tune task's client does.
"""
import json
import subprocess
from datetime import datetime, timedelta

from airflow import DAG
from airflow.operators.python import PythonOperator
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

JAR = "{{ var.value.get('tunelake_jar', '/opt/tunelake/tunelake-0.1.0.jar') }}"
SPEC = "{{ var.value.get('tunelake_spec', '/opt/tunelake/jobs/quickstart.yaml') }}"
STORE = "{{ var.value.get('tunelake_store', 's3a://lake/tunelake') }}"
SPARK_SUBMIT = "{{ var.value.get('tunelake_spark_submit', 'spark-submit') }}"
STUDY = "quickstart-{{ ds_nodash }}"
MIN_SCORE = 0.90

APPLICATION_ARGS = ["tune", SPEC, "--store", STORE, "--set", "study=" + STUDY]
BEST_ARGS = ["best", STUDY, "--store", STORE, "--json"]


def check_best_score(command, min_score, **_):
    """Runs `tunelake best --json`; fails the task when the best mean score misses min_score."""
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"tunelake best exited {done.returncode}: {done.stderr[-2000:]}")
    best = json.loads(done.stdout.strip().splitlines()[-1])
    larger_is_better = best["direction"] == "MAXIMIZE"
    ok = best["mean"] >= min_score if larger_is_better else best["mean"] <= min_score
    if not ok:
        raise ValueError(f"best {best['metric']} {best['mean']} misses the threshold {min_score}")
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
        op_kwargs={
            "command": [SPARK_SUBMIT, "--master", "local[1]", "--conf", "spark.ui.enabled=false",
                        "--class", "io.tunelake.cli.Main", JAR] + BEST_ARGS,
            "min_score": MIN_SCORE,
        },
        execution_timeout=timedelta(minutes=10),
    )

    tune >> check
