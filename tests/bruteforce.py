"""An independent brute force for the causal analysis, written from the definitions only.

Nothing here imports hypoplan or networkx: a small DAG is a list of edges, d-separation is
the Bayes-ball reachability of Shachter (1998) (Koller & Friedman 2009, Alg. 3.1), paths are
enumerated recursively and blocked by the textbook rule, and adjustment sets are found by
enumerating every subset and checking the generalized adjustment criterion as stated by
Perković et al. (2018, Def. 3.3): no member descends from a non-X node on a proper causal
path, and every proper non-causal path is blocked.  Only use it on graphs of ≤ 8 nodes.

Selected nodes S (DAGitty's ``[selected]``) are conditioned on everywhere, as DAGitty's
``isAdjustmentSet`` states it: a set Z is valid when it meets the criterion above with every
path blocked by Z ∪ S, and Y is d-separated from S in the graph without the first edge of
every proper causal path from X to Y.
"""

from __future__ import annotations

from itertools import combinations, pairwise


class Dag:
    """A DAG as parent and child sets; ``latent`` nodes may never be conditioned on; ``selected`` always are."""

    def __init__(self, nodes, edges, latent=(), selected=()):
        self.nodes = sorted(set(nodes))
        self.parents = {v: set() for v in self.nodes}
        self.children = {v: set() for v in self.nodes}
        for a, b in edges:
            self.parents[b].add(a)
            self.children[a].add(b)
        self.latent = set(latent)
        self.selected = set(selected)
        self.observed = [v for v in self.nodes if v not in self.latent]

    def without_edges(self, cut):
        edges = [(u, v) for v in self.nodes for u in self.parents[v] if (u, v) not in cut]
        return Dag(self.nodes, edges, self.latent, self.selected)

    def without_edge(self, a, b):
        return self.without_edges({(a, b)})

    def adjacent(self, a, b):
        return b in self.parents[a] or b in self.children[a]

    def descendants(self, v):
        out = {v}
        frontier = [v]
        while frontier:
            for c in self.children[frontier.pop()]:
                if c not in out:
                    out.add(c)
                    frontier.append(c)
        return out

    def ancestors_of_set(self, vs):
        out = set(vs)
        frontier = list(vs)
        while frontier:
            for p in self.parents[frontier.pop()]:
                if p not in out:
                    out.add(p)
                    frontier.append(p)
        return out


def d_separated(dag: Dag, xs, ys, zs) -> bool:
    """Bayes-ball: is every node of ``ys`` unreachable from ``xs`` given ``zs``?"""
    zs = set(zs)
    anc_z = dag.ancestors_of_set(zs)
    visited = set()
    reached = set()
    todo = [(x, "up") for x in xs]  # "up": arrived from a child; "down": arrived from a parent
    while todo:
        v, d = todo.pop()
        if (v, d) in visited:
            continue
        visited.add((v, d))
        if v not in zs:
            reached.add(v)
        if d == "up" and v not in zs:
            todo += [(p, "up") for p in dag.parents[v]]
            todo += [(c, "down") for c in dag.children[v]]
        elif d == "down":
            if v not in zs:
                todo += [(c, "down") for c in dag.children[v]]
            if v in anc_z:
                todo += [(p, "up") for p in dag.parents[v]]
    return not (reached & set(ys))


def all_paths(dag: Dag, xs, ys, avoid=()):
    """Every simple skeleton path from a node of ``xs`` to a node of ``ys`` whose inner nodes avoid ``avoid``."""
    out = []
    ys, avoid = set(ys), set(avoid)

    def walk(path):
        v = path[-1]
        for w in sorted(dag.parents[v] | dag.children[v]):
            if w in path:
                continue
            if w in ys:
                out.append(tuple(path + [w]))
            if w in avoid:
                continue
            walk(path + [w])

    for x in sorted(xs):
        walk([x])
    return out


def is_causal(dag: Dag, path) -> bool:
    return all(b in dag.children[a] for a, b in pairwise(path))


def is_blocked(dag: Dag, path, zs) -> bool:
    """Blocked by ``zs``: a non-collider in ``zs``, or a collider with neither itself nor a descendant in ``zs``."""
    zs = set(zs)
    for i in range(1, len(path) - 1):
        v = path[i]
        collider = v in dag.children[path[i - 1]] and v in dag.children[path[i + 1]]
        if collider:
            if not (dag.descendants(v) & zs):
                return True
        elif v in zs:
            return True
    return False


def proper_paths(dag: Dag, xs, ys):
    """Paths from X to Y whose only X node is the first one (they may pass through other Y nodes)."""
    return [p for p in all_paths(dag, xs, ys, avoid=xs)]


def forbidden(dag: Dag, xs, ys) -> set:
    """Descendants of the non-X nodes on proper causal paths from X to Y."""
    out = set()
    for p in proper_paths(dag, xs, ys):
        if is_causal(dag, p):
            for v in p[1:]:
                out |= dag.descendants(v)
    return out


def _setting(dag: Dag, xs, ys):
    """The proper non-causal paths, the forbidden nodes and whether selection is harmless, once per (X, Y)."""
    key = (frozenset(xs), frozenset(ys))
    memo = dag.__dict__.setdefault("_memo", {})
    if key not in memo:
        paths = proper_paths(dag, xs, ys)
        noncausal = [p for p in paths if not is_causal(dag, p)]
        first_edges = {(p[0], p[1]) for p in paths if is_causal(dag, p)}
        sel = dag.selected - set(xs) - set(ys)
        harmless = not sel or d_separated(dag.without_edges(first_edges), ys, sel, ())
        memo[key] = (noncausal, forbidden(dag, xs, ys), harmless)
    return memo[key]


def has_proper_causal_path(dag: Dag, xs, ys) -> bool:
    return any(is_causal(dag, p) for p in proper_paths(dag, xs, ys))


def is_adjustment_set(dag: Dag, xs, ys, zs) -> bool:
    """The generalized adjustment criterion, straight from its definition (latent members are not allowed)."""
    zs = set(zs)
    noncausal, forb, harmless = _setting(dag, xs, ys)
    if not harmless or zs & (set(xs) | set(ys) | dag.latent | forb):
        return False
    return all(is_blocked(dag, p, zs | dag.selected) for p in noncausal)


def subsets(pool, included=()):
    pool = sorted(set(pool) - set(included))
    for k in range(len(pool) + 1):
        for combo in combinations(pool, k):
            yield frozenset(included) | frozenset(combo)


def minimal_sets(valid, pool, included=()):
    """Sets in ``pool`` ⊇ ``included`` for which ``valid`` holds and for no proper subset ⊇ ``included``."""
    good = [s for s in subsets(pool, included) if valid(s)]
    return {s for s in good if not any(t < s for t in good)}


def valid_adjustment_sets(dag: Dag, xs, ys, included=()):
    pool = set(dag.observed) - set(xs) - set(ys) - dag.selected
    return [s for s in subsets(pool, included) if is_adjustment_set(dag, xs, ys, s)]


def minimal_adjustment_sets(dag: Dag, xs, ys, included=()):
    pool = set(dag.observed) - set(xs) - set(ys) - dag.selected
    return minimal_sets(lambda s: is_adjustment_set(dag, xs, ys, s), pool, included)


def single_door_sets(dag: Dag, x, y, included=()):
    """Minimal sets ⊇ ``included`` of the single-door criterion (Pearl 2009, Thm 5.3.1) for the edge x → y."""
    cut = dag.without_edge(x, y)
    pool = set(dag.observed) - {x, y} - dag.descendants(y)
    if not set(included) <= pool:
        return set()
    return minimal_sets(lambda s: d_separated(cut, {x}, {y}, s), pool, included)


def observed_separators(dag: Dag, a, b):
    """Every set of observed, unselected nodes d-separating ``a`` and ``b`` together with the selected nodes."""
    pool = set(dag.observed) - {a, b} - dag.selected
    return [s for s in subsets(pool) if d_separated(dag, {a}, {b}, s | dag.selected)]
