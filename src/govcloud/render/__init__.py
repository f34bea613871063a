"""Renderers: pure functions of the Plan that turn it into files other tools read.

`k8s` gives every cluster its Kubernetes objects (the same list `govcloud render` writes and the Pulumi
program deploys); `write` lays them out on disk atomically; `kind` and `nodes` give the lab's cluster
configs and simulated nodes. Renderers never re-read YAML: everything comes from the plan.
"""
