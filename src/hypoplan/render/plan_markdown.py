"""A study plan as Markdown: PECO, design, measures, controls, exclusions, feasibility, sample size,
discriminating predictions and what is missing.

Renders the :meth:`hypoplan.plan.Plan.to_json` dictionary, so a plan saved as
JSON renders the same way.  Every piece of user or catalog text goes through
:func:`hypoplan.render.escape.markdown_text`.
"""

from __future__ import annotations

from typing import Any

from ..naming import natural_key
from .escape import markdown_text

__all__ = ["render_plan_markdown"]


def _t(value: Any) -> str:
    return markdown_text("" if value is None else str(value))


def _refs(refs: list[str]) -> str:
    return "; ".join(_t(r) for r in refs)


def _bullet(text: str, refs: list[str] | None = None, prefix: str = "") -> str:
    line = f"- {prefix}{text}"
    if refs:
        line += f" — *{_refs(refs)}*"
    return line


_STRATEGY_NAMES = {"randomised": "randomised experiment", "adjustment": "covariate adjustment",
                   "frontdoor": "front-door formula", "instrument": "instrumental variable",
                   "id": "ID-algorithm estimand", "not_identifiable": "not identifiable"}


def _strategy_name(key: str) -> str:
    return _STRATEGY_NAMES.get(key, key)


def _strategy(design: dict[str, Any]) -> list[str]:
    if "strategy" not in design:
        return []
    out = ["## Identification strategy", "",
           f"**{_t(_strategy_name(design['strategy']))}** (`{design['strategy']}`): {_t(design['strategy_reason'])}",
           ""]
    if design.get("estimand_formula"):
        out += [f"Estimand: `{str(design['estimand_formula']).replace('`', '')}`", ""]
    if design.get("considered"):
        out.append("Stronger strategies considered first:")
        out.append("")
        for c in design["considered"]:
            out.append(f"- {_t(_strategy_name(c['strategy']))}: {_t(c['why_not'])}")
        out.append("")
    return out


def _estimand(est: dict[str, Any] | None, outcomes: dict[str, Any] | None) -> list[str]:
    out: list[str] = []
    if est:
        out += ["## Estimand (ICH E9(R1))", "", "| Attribute | Value |", "|---|---|",
                f"| Population | {_t(est['population'])} |", f"| Treatment or exposure | {_t(est['treatment'])} |",
                f"| Endpoint | {_t(est['endpoint'])} |"]
        events = est.get("intercurrent_events") or []
        if events:
            text = "<br>".join(f"{_t(e['event'])}: *{_t(e['strategy'])}*"
                               + (f" ({_t(e['why'])})" if e.get("why") else "") for e in events)
        else:
            text = "none listed for this population in the catalog"
        out += [f"| Intercurrent events | {text} |", f"| Population-level summary | {_t(est['summary'])} |", ""]
        if est.get("references"):
            out += [f"*{_refs(est['references'])}*", ""]
    if outcomes and (outcomes.get("primary") or outcomes.get("secondary") or outcomes.get("mechanistic")):
        def item(o: dict[str, Any]) -> str:
            return _t(o["label"]) + (f" ({_t(o['method'])})" if o.get("method") else " (no catalogued method)")

        out += ["## Outcomes", ""]
        if outcomes.get("primary"):
            out.append(f"- **Primary:** {item(outcomes['primary'])}")
        if outcomes.get("secondary"):
            out.append("- **Secondary:** " + "; ".join(item(o) for o in outcomes["secondary"]))
        if outcomes.get("mechanistic"):
            out.append("- **Mechanistic (mediators):** " + "; ".join(item(o) for o in outcomes["mechanistic"]))
        out.append("")
    return out


def render_plan_markdown(plan: dict[str, Any]) -> str:
    """Markdown text of a plan dictionary (the contract of ``Plan.to_json``)."""
    h = plan["hypothesis"]
    out = [f"# Study plan: {_t(h['title'])}", "",
           f"Hypothesis `{str(h['id']).replace('`', '')}` · status: {_t(h['status'])}", ""]
    if h.get("summary"):
        out += [_t(h["summary"]), ""]

    out += ["## PECO", ""]
    peco = plan.get("peco")
    if peco:
        for key in ("population", "exposure", "comparator", "outcome", "species"):
            out.append(f"- **{key.capitalize()}:** {_t(peco[key])}")
    else:
        out.append("- No PECO given in the hypothesis.")
    design = plan["design"]
    out += ["", "## Design", "", f"**{_t(design['type'])}.** {_t(design['summary'])}", ""]
    out += _strategy(design)
    out += _estimand(plan.get("estimand"), plan.get("outcomes"))

    out += ["## What to measure", "",
            "| Node | Role | Method | Invasiveness | Setting | Cost | Burden | Time resolution | Note |",
            "|---|---|---|---|---|---|---|---|---|"]
    for m in plan["measures"]:
        method = m.get("method")
        if method:
            cells = [_t(method["name"]), _t(method["invasiveness"]), _t(method["setting"]), _t(method["cost_band"]),
                     _t(method["burden"]), _t(method["time_resolution"])]
        else:
            cells = ["*none*", "", "", "", "", ""]
        note = _t(m.get("note") or "")
        if not m.get("human_measurable", True):
            note = ("⚠ " + note) if note else "⚠ no direct human measure"
        out.append(f"| {_t(m['label'])} | {_t(m['role'])} | " + " | ".join(cells) + f" | {note} |")
    out.append("")
    cost_bands = "Cost bands are unsourced estimates (low < $200, medium $200–2000, high > $2000)."
    out += [_t(cost_bands), ""]
    caveated = [m for m in plan["measures"] if m.get("method") and m["role"] != "other"]
    if caveated:
        out += ["### Methods of the primary measures", ""]
        for m in caveated:
            method = m["method"]
            out.append(f"- **{_t(m['label'])}** — {_t(method['name'])}: {_t(method['captures'])}")
            for c in method["caveats"]:
                out.append(f"  - caveat: {_t(c)}")
            if method["references"]:
                out.append(f"  - references: {_refs(method['references'])}")
        out.append("")

    adj = plan["adjustment"]
    out += ["## Adjustment set", ""]
    shown = ", ".join(_t(n) for n in adj["set"]) if adj["set"] else "(none)"
    cost = f" (cost {adj['cost']:g})" if isinstance(adj.get("cost"), (int, float)) else ""
    out += [f"- {shown}{cost}: {_t(adj['note'])}", ""]
    costs = adj.get("node_costs") or {}
    if costs:
        listed = ", ".join(f"{_t(n)} {'unmeasurable' if c is None else f'{c:g}'}" for n, c in sorted(costs.items(), key=lambda nc: natural_key(nc[0])))
        out += [f"Candidate nodes and their costs: {listed}.", ""]

    out += ["## Control groups", ""]
    if not plan["controls"]:
        out.append("- None proposed.")
    for c in plan["controls"]:
        text = f"**{_t(c['name'])}** ({_t(c['kind'])}): {_t(c['rationale'])}"
        out.append(_bullet(text, c["references"]))
    out.append("")
    if plan.get("controls_left_out"):
        out += ["Left out:", ""]
        for c in plan["controls_left_out"]:
            out.append(f"- {_t(c['candidate'])} ({_t(c['kind'])}): {_t(c['why'])}")
        out.append("")

    out += ["## Exclusions and washouts", ""]
    if not plan["exclusions"]:
        out.append("- None derived from the graph and the catalog.")
    for e in plan["exclusions"]:
        out.append(_bullet(f"**{_t(e['kind'])}:** {_t(e['criterion'])}. {_t(e['reason'])}", e["references"]))
    out.append("")

    out += ["## Feasibility", ""]
    if not plan["feasibility"]:
        out.append("- No notes.")
    for f in plan["feasibility"]:
        mark = "⚠ " if f["severity"] == "warning" else ""
        out.append(_bullet(f"{mark}**{_t(f['topic'])}:** {_t(f['note'])}", f["references"]))
    out.append("")

    out += ["## Sample size", "",
            "| Comparison | Role | Design | Effect size | alpha | Source | n per group | n total |",
            "|---|---|---|---|---|---|---|---|"]
    for s in plan["sample_size"]:
        es = s["effect_size"]
        per = "" if s["n_per_group"] is None else str(s["n_per_group"])
        role = "primary" if s.get("primary", True) else "secondary"
        size = f"{_t(es['measure'])} = {es['value']:.3g}"
        point = es.get("point")
        if point is not None and s.get("plan_on") not in (None, "point") and abs(point - es["value"]) > 1e-9:
            # a reader must not take the planned row (a CI bound, or half) for the value the study reported
            size += f" ({s['plan_on']} row; recorded {point:.3g})"
        out.append(f"| {_t(s['comparison'])} | {role} | {_t(s['design'])} | {size} | "
                   f"{s['alpha']:.4g} | {_t(es['source'])}: {_t(es['citation'])} | {per} | {s['n_total']} |")
    out.append("")
    # the reasoning of every primary comparison, and of a secondary one when it rests on recorded evidence or
    # carries a warning; a secondary one on a conventional assumed effect says nothing the table does not
    quiet = [s for s in plan["sample_size"] if not s.get("primary", True)
             and s["effect_size"].get("source") != "evidence" and not s.get("warning")]
    for s in plan["sample_size"]:
        if s not in quiet:
            out.append(f"- {_t(s['note'])}")
    if quiet:
        out.append(f"- Secondary comparisons on an assumed conventional effect ({len(quiet)}): "
                   + "; ".join(f"{_t(s['comparison'])}: {s['n_total']}" for s in quiet)
                   + " in total (their reasoning is in `plan --format json`, `sample_size[].note`).")
    out.append("")
    out += _sizing_lines(plan)

    out += ["## Discriminating predictions", ""]
    if not plan["discriminating_predictions"]:
        out.append("- No rivals named, or none could be compared.")
    for p in plan["discriminating_predictions"]:
        out.append(f"- **{_t(p['measurement'])}** (vs `{str(p['rival']).replace('`', '')}`): this hypothesis: "
                   f"{_t(p['this_predicts'])}; rival: {_t(p['rival_predicts'])}.")
        if "decisive" in p:
            out.append(f"  - {'decisive' if p['decisive'] else 'not decisive'} ({_t(p.get('kind', ''))}; this "
                       f"{_t(p.get('direction_this', ''))}, rival {_t(p.get('direction_rival', ''))})")
        out.append(f"  - basis: {_t(p['basis'])}")
        out.append(f"  - feasibility: {_t(p['feasibility'])}")
        for e in p.get("evidence", ()):
            bears = {"for": "for", "against": "against"}.get(e["bears"], "(null finding) on")
            out.append(f"  - evidence {bears} `{str(e['hypothesis']).replace('`', '')}` on "
                       f"{_t(e['edge'])}: {_t(e['citation'])}: {_t(e['finding'])}")
    out.append("")

    out += ["## Missing", ""]
    if not plan["missing"]:
        out.append("- Nothing flagged.")
    for item in plan["missing"]:
        out.append(f"- {_t(item)}")
    out.append("")
    return "\n".join(out)


def _sizing_lines(plan: dict[str, Any]) -> list[str]:
    """Sensitivity rows, multiplicity, attrition, budget, mediation, reliability and the fate of every
    recorded effect size (issue 10)."""
    sizing = plan.get("sizing")
    if not sizing:
        return []
    # every primary comparison, and a secondary one only when a recorded effect gives it a CI; the rest are
    # assumed effects whose rows differ only by the halving (all rows stay in the JSON)
    shown = [s for s in plan["sample_size"] if s.get("primary", True) or s["effect_size"].get("source") == "evidence"]
    out = ["### Sensitivity", "",
           "| Comparison | Row | Effect size | n per group | n total |", "|---|---|---|---|---|"]
    for s in shown:
        for r in s.get("sensitivity", ()):
            mark = " (planned)" if r["row"] == s.get("plan_on") else ""
            value = "—" if r["value"] is None else f"{s['effect_size']['measure']} = {r['value']:.3g}"
            per = "" if r["n_per_group"] is None else str(r["n_per_group"])
            total = _t(r["note"]) if r["n_total"] is None else str(r["n_total"])
            out.append(f"| {_t(s['comparison'])} | {r['row']}{mark} | {value} | {per} | {total} |")
    hidden = len(plan["sample_size"]) - len(shown)
    if hidden:
        out += ["", (f"Secondary comparisons with an assumed effect ({hidden}) are not repeated here; their rows are "
                     "in `plan --format json` (`sample_size[].sensitivity`).")]
    out += ["", f"- **Multiplicity:** {_t(sizing['alpha_note'])}.", f"- **Attrition:** {_t(sizing['attrition_note'])}."]
    if sizing["rho_note"]:
        out.append(f"- **Within-person correlation:** {_t(sizing['rho_note'])}.")
    budget = sizing["budget"]
    if budget["groups"]:
        groups = "; ".join(f"{_t(g['group'])}: {g['n']}" + (f" (enrol {g['n_enrol']})" if g["n_enrol"] != g["n"] else "")
                           for g in budget["groups"])
        out.append(f"- **Total-N budget:** {groups}; {budget['n_total']} in total"
                   + (f", {budget['n_enrol_total']} to enrol" if budget["n_enrol_total"] != budget["n_total"] else "")
                   + f" ({_t(budget['note'])}).")
        for sec in budget.get("secondary", ()):
            out.append(f"  - secondary: {_t(sec['note'])}")
    for u in sizing.get("unsized", ()):
        if u.get("skipped"):
            out.append(f"- **Not sized:** {_t(u['comparison'])}: {_t(u['reason'])}.")
    for m in sizing["mediation"]:
        out.append(f"- **Mediation:** {_t(m['note'])}.")
    for r in sizing["reliability"]:
        out.append(f"- **Reliability:** {_t(r['note'])}.")
    if sizing["effect_sizes"]:
        out += ["", "### Recorded effect sizes", ""]
        out += [f"- {_t(e['note'])}." for e in sizing["effect_sizes"]]
    out.append("")
    return out
