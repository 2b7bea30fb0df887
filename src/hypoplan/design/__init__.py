"""From a causal graph and a measurement catalog to a study design.

- :mod:`.catalog` — the measurement catalog (packaged data, repository overrides).
- :mod:`.measures` — which method measures each node, and what must be measured.
- :mod:`.controls` — healthy, disease, within-subject and negative controls.
- :mod:`.exclusions` — drugs that disturb measured nodes: exclusions and washouts.
- :mod:`.feasibility` — invasiveness, cost, burden, population rules, evidence gaps.
- :mod:`.rivals` — predictions that tell a hypothesis from its rivals.
- :mod:`.sizing` — sample size of each primary comparison.
- :mod:`.power` — power and sample-size calculations (statsmodels, imported lazily).
"""

__all__: list[str] = []
