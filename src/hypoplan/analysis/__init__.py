"""Causal analysis of a hypothesis graph: pure functions, each citing its paper."""
