"""What the format holds beyond Datatilsynet's template, in words: the activity's unit, status,
DPIA, source of data and automated decisions (an extra section), and the structured detail of a
lawful basis, a transfer, a retention rule and a controller (extra lines in their rows).

Every word comes from the labels' ``extra`` group, so a label file says what the document says.
"""

from __future__ import annotations

from ropa_build.models import ControllerParty, Record, RetentionRule, Transfer
from ropa_build.models.basis import LawfulBasis, Statute
from ropa_build.render.blocks import join, labelled, long_date, reference, rich
from ropa_build.render.rows import Row, Section
from ropa_build.richtext import Block, Break, Inline, Para, Text


def about_activity(record: Record, labels: dict) -> Section:
    """The extra section "Supplerende oplysninger": only the rows the record fills in."""
    words, rows = labels["extra"], []

    def add(key: str, blocks: tuple[Block, ...]) -> None:
        if blocks:
            rows.append(Row(words[key], blocks))

    add("number", _line(record.number))
    add("unit", _line(record.unit))
    add("status", _line(words["statuses"][record.status] if record.status else None))
    if record.dpia:
        add("dpia", (Para(tuple(_dpia(record, labels))),))
    add("data_source", rich(record.data_source, labels))
    add("automated_decisions", rich(record.automated_decisions, labels))
    return Section(labels["sections"]["extra"], tuple(rows))


def _dpia(record: Record, labels: dict) -> list[Inline]:
    dpia, words = record.dpia, labels["extra"]
    parts = []
    if dpia.required is not None:
        parts.append(words["dpia_required"] if dpia.required else words["dpia_not_required"])
    if dpia.status:
        parts.append(f"{words['status']}: {words['dpia_statuses'][dpia.status]}")
    if dpia.risk:
        parts.append(f"{words['risk']}: {words['risks'][dpia.risk]}")
    if dpia.date:
        parts.append(long_date(dpia.date, labels))
    nodes: list[Inline] = [Text(" · ".join(parts))] if parts else []
    if dpia.link:
        nodes += [Break(), reference(dpia.link)] if nodes else [reference(dpia.link)]
    return nodes


def basis_lines(basis: LawfulBasis, labels: dict) -> list[Block]:
    """The statutes behind the basis, then each basis that holds for a part only."""
    words, content = labels["extra"], labels["content"]
    blocks: list[Block] = []
    if basis.statutes:
        blocks.append(Para((Text(f"{words['statutes']}: {_statutes(basis.statutes)}"),)))
    for ground in basis.grounds:
        joiner = words["and_or"] if ground.alternatives else content["and"]
        parts = []
        for article, letters in (("art6", ground.art6), ("art9", ground.art9)):
            if letters:
                joined = join([content["letter"].format(x) for x in letters], joiner)
                parts.append(content[article].format(letters=joined))
        if ground.statutes:
            parts.append(_statutes(ground.statutes))
        if ground.other:
            parts.append(ground.other)
        head = words["applies_to"].format(what=ground.applies_to)
        blocks += labelled(head, (Para((Text("; ".join(parts)),)),))
    return blocks


def _statutes(statutes: list[Statute]) -> str:
    return "; ".join(
        " ".join(filter(None, [s.law, s.section, f"({s.country})" if s.country else None]))
        for s in statutes
    )


def transfer_lines(item: Transfer, labels: dict) -> list[Block]:
    """A transfer's structured detail: alternatives, SCC module, TIA, measures, derogation,
    whether it is occasional, and whether the recipient is the organisation's own staff."""
    words, mechanisms = labels["extra"], labels["mechanisms"]
    blocks: list[Block] = []
    if item.alternatives:
        names = join([mechanisms[m] for m in item.alternatives], words["or"])
        blocks += labelled(words["alternatives"], _line(names))
    if item.scc_module:
        blocks += labelled(words["scc_module"], _line(words["modules"][str(item.scc_module)]))
    if item.derogation:
        blocks += labelled(words["derogation"], _line(f"art. 49, stk. 1, litra {item.derogation}"))
    if item.tia:
        blocks += labelled(words["tia"], (Para((reference(item.tia),)),))
    blocks += labelled(words["measures"], rich(item.measures, labels))
    if item.occasional is not None:
        blocks.append(
            Para((Text(words["occasional"]["occasional" if item.occasional else "regular"]),))
        )
    if item.same_entity is not None:
        blocks.append(Para((Text(words["same_entity"]["own" if item.same_entity else "other"]),)))
    return blocks


def retention_label(rule: RetentionRule, categories: str) -> str:
    """A rule about a kind of record (logs, backups) is named by it, its categories after."""
    if rule.records:
        return f"{rule.records} – {categories}" if categories else rule.records
    return categories


def retention_detail(rule: RetentionRule, labels: dict) -> tuple[Block, ...]:
    """Counted from, at least, at most, method and statute: one line after the period."""
    words = labels["extra"]
    parts = [
        f"{words['counted_from']}: {rule.counted_from}" if rule.counted_from else None,
        f"{words['minimum']}: {rule.minimum}" if rule.minimum else None,
        f"{words['maximum']}: {rule.maximum}" if rule.maximum else None,
        f"{words['method']}: {words['methods'][rule.method]}" if rule.method else None,
        f"{words['statute']}: {rule.statute}" if rule.statute else None,
    ]
    told = [p for p in parts if p]
    return (Para((Text(" · ".join(told)),)),) if told else ()


def policy_line(policy: str | None, labels: dict) -> tuple[Block, ...]:
    words = labels["extra"]
    return _line(f"{words['policy']}: {words['policies'][policy]}") if policy else ()


def controller_lines(party: ControllerParty, labels: dict) -> list[Inline]:
    """The agreement (version, date, status), since when, and the representative."""
    words, nodes = labels["extra"], []
    agreement = party.agreement
    if agreement:
        told = [
            agreement.version,
            long_date(agreement.date, labels) if agreement.date else None,
            words["agreement_statuses"][agreement.status] if agreement.status else None,
        ]
        nodes += [Break(), Text(f"{words['agreement']}: {', '.join(filter(None, told))}")]
    if party.onboarded:
        nodes += [Break(), Text(f"{words['onboarded']}: {long_date(party.onboarded, labels)}")]
    if party.representative:
        nodes += [Break(), Text(f"{words['representative']}: {party.representative.name}")]
    return nodes


def _line(text: str | None) -> tuple[Block, ...]:
    return (Para((Text(text),)),) if text else ()
