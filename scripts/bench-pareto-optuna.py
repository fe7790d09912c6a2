#!/usr/bin/env python3
"""Optuna's multi-objective samplers behind a line protocol, so that scripts/bench-pareto runs
them on the very problems of the Java benchmark. Reads from stdin:
  start {"sampler": "nsga2"|"motpe", "seed": 1, "dims": 30, "objectives": 2}
  ask N          -> N lines, each a JSON object {"x0": ..., ...} (floats in [0, 1])
  tell [[f1, f2, ...], ...] -> the objective values of the last asked trials; answers "ok"
Every objective is minimised. Needs python3-optuna (Debian: apt-get install python3-optuna).
"""
import json
import sys
import warnings

import optuna

optuna.logging.set_verbosity(optuna.logging.ERROR)
warnings.simplefilter("ignore")


def sampler(kind, seed):
    if kind == "nsga2":
        return optuna.samplers.NSGAIISampler(seed=seed)
    if kind == "motpe":
        return optuna.samplers.MOTPESampler(seed=seed)
    raise ValueError("unknown sampler " + kind)


def main():
    study = None
    dims = 0
    asked = []
    for line in sys.stdin:
        cmd, _, arg = line.strip().partition(" ")
        if cmd == "start":
            spec = json.loads(arg)
            dims = spec["dims"]
            study = optuna.create_study(sampler=sampler(spec["sampler"], spec["seed"]),
                                        directions=["minimize"] * spec["objectives"])
        elif cmd == "ask":
            asked = [study.ask() for _ in range(int(arg))]
            for t in asked:
                print(json.dumps({"x%d" % i: t.suggest_float("x%d" % i, 0.0, 1.0) for i in range(dims)}))
        elif cmd == "tell":
            for t, v in zip(asked, json.loads(arg)):
                study.tell(t, v)
            print("ok")
        elif cmd == "version":
            print(optuna.__version__)
        sys.stdout.flush()


if __name__ == "__main__":
    main()
