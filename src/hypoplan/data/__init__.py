"""Hypotheses meet data: simulate a hypothesis, test its graph against a dataset, estimate and diagnose.

The data layer sits beside :mod:`hypoplan.design` (it reads the graph and the analysis,
never the CLI).  numpy, scipy and statsmodels are imported lazily inside these modules so
that ``hypoplan --help`` stays light.

- :mod:`.effects` — reported effect sizes → standardised path coefficients.
- :mod:`.scm` — the hypothesis as a linear structural causal model; vectorised sampling.
- :mod:`.table` — reading and writing data files; bad input becomes a one-line error.
- :mod:`.citests` — conditional-independence tests of the graph's implications (dagitty ``localTests``).
- :mod:`.strategy` — the answer strategy (adjustment, front-door, instrument) for a graph.
- :mod:`.estimators` — OLS, two-stage least squares and the front-door product, batched over datasets.
- :mod:`.diagnose` — a design diagnosis by simulation (DeclareDesign's diagnosands).
"""
