#!/usr/bin/env python3
"""Optuna's samplers behind a line protocol, so that scripts/bench-optimizers runs them on the
very problems (and evaluations) of the Java benchmark. Reads from stdin:
  start {"sampler": "tpe"|"cmaes", "seed": 1000, "space": [...], "conditions": {...}}
  ask N          -> N lines, each a JSON object of parameters
  tell [v, ...]  -> the values of the last asked trials, in order; answers "ok"
Needs python3-optuna (Debian: apt-get install python3-optuna); CMA-ES also needs python3-cmaes.
"""
import json
import sys

import optuna

optuna.logging.set_verbosity(optuna.logging.ERROR)


def sampler(kind, seed):
    if kind == "tpe":
        return optuna.samplers.TPESampler(seed=seed, constant_liar=True)
    if kind == "cmaes":
        return optuna.samplers.CmaEsSampler(seed=seed)
    raise ValueError("unknown sampler " + kind)


def suggest(trial, space, conditions):
    params = {}
    for d in space:
        c = conditions.get(d["name"])
        if c is not None and (c["parent"] not in params or params[c["parent"]] not in c["values"]):
            continue
        kind = d["kind"]
        if kind == "float":
            step = d["step"] if d["step"] > 0 else None
            params[d["name"]] = trial.suggest_float(d["name"], d["low"], d["high"], log=d["log"], step=step)
        elif kind == "int":
            params[d["name"]] = trial.suggest_int(d["name"], d["low"], d["high"], log=d["log"], step=d["step"])
        elif kind == "categorical":
            params[d["name"]] = trial.suggest_categorical(d["name"], d["choices"])
        else:
            params[d["name"]] = d["value"]
    return params


def main():
    study = space = conditions = None
    asked = []
    for line in sys.stdin:
        cmd, _, arg = line.strip().partition(" ")
        if cmd == "start":
            spec = json.loads(arg)
            study = optuna.create_study(sampler=sampler(spec["sampler"], spec["seed"]))
            space, conditions = spec["space"], spec.get("conditions", {})
        elif cmd == "ask":
            asked = [study.ask() for _ in range(int(arg))]
            for t in asked:
                print(json.dumps(suggest(t, space, conditions)))
        elif cmd == "tell":
            for t, v in zip(asked, json.loads(arg)):
                study.tell(t, v)
            print("ok")
        elif cmd == "version":
            print(optuna.__version__)
        sys.stdout.flush()


if __name__ == "__main__":
    main()
