"""Printable test papers (đề thi): make one, print its variants and answer sheets, export its keys.

Added to the bank's blueprint; `contest/__init__.py` imports this module before registering it.
A paper is described wholly by its address (question ids, the versions printed, seed, number of
variants, title, time allowed): opening the address again prints the same paper (docs/papers.md).
"""

from __future__ import annotations

import io
import re
import secrets
from collections import defaultdict
from dataclasses import dataclass, replace

from flask import abort, make_response, redirect, render_template, request, send_file, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlalchemy import select, tuple_
from sqlalchemy.orm import selectinload
from wtforms import FieldList, FormField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from contest.accounts.access import roles_required
from contest.extensions import db
from contest.forms import Form
from contest.themes.models import Theme
from questions import papers, service, usage
from questions.exports import MIME_TYPES, record_of
from questions.formats import word
from questions.models import (
    Level,
    Question,
    QuestionType,
    QuestionUse,
    QuestionVersion,
    Status,
    question_theme,
)
from questions.routes import BANK_ROLES, bp

MAX_QUESTIONS = 200
MAX_SEED = 999_999_999
DRAW_ROWS = 3


class DrawRowForm(Form):
    """One draw row: how many approved questions of a theme and a level.

    Our Form base rather than a plain WTForms one, so its messages come in the visitor's language;
    no CSRF token of its own, as it lives inside the paper form.
    """

    class Meta:
        csrf = False

    theme = SelectField(_l("Theme"), coerce=int, default=0)
    level = SelectField(
        _l("Level"),
        choices=lambda: [("", _l("Any level"))] + [(lv.value, lv.label) for lv in Level],
        default="",
    )
    count = IntegerField(
        _l("How many"), validators=[Optional(), NumberRange(min=0, max=MAX_QUESTIONS)]
    )


class PaperForm(Form):
    title = StringField(
        _l("Title"),
        default=_l("TEST ON DIRECTIVE 05-CT/TW"),
        validators=[InputRequired(), Length(max=200)],
    )
    organisation = StringField(_l("Organisation (top left)"), validators=[Length(max=200)])
    minutes = IntegerField(
        _l("Time allowed (minutes)"),
        default=45,
        validators=[InputRequired(), NumberRange(min=1, max=600)],
    )
    variants = IntegerField(
        _l("Number of variants"),
        default=4,
        validators=[InputRequired(), NumberRange(min=1, max=papers.MAX_VARIANTS)],
    )
    seed = IntegerField(_l("Seed"), validators=[Optional(), NumberRange(min=0, max=MAX_SEED)])
    ids = TextAreaField(_l("Questions by number"), validators=[Length(max=5000)])
    draws = FieldList(FormField(DrawRowForm), min_entries=DRAW_ROWS, max_entries=DRAW_ROWS)


@dataclass(frozen=True)
class Spec:
    """What a paper's address says: the versions printed, in order, and how to print them."""

    pins: tuple[tuple[int, int], ...]  # (question id, version number)
    seed: int
    variants: int
    title: str
    organisation: str
    minutes: int

    def address(self, **extra) -> dict:
        return {
            "ids": ",".join(str(question_id) for question_id, _n in self.pins),
            "rev": ",".join(str(number) for _q, number in self.pins),
            "seed": self.seed,
            "k": self.variants,
            "title": self.title,
            "org": self.organisation,
            "minutes": self.minutes,
            **extra,
        }


def _used_in(seed: int) -> str:
    return f"paper:{seed}"


def _numbers(text: str) -> tuple[list[int], list[str]]:
    """Question numbers typed in any way ("12, 15 #18"), each once; and what was not a number."""
    found, bad = [], []
    for token in re.split(r"[\s,;]+", text or ""):
        token = token.strip().lstrip("#")
        if not token:
            continue
        if token.isdigit() and len(token) < 10:
            if int(token) not in found:
                found.append(int(token))
        else:
            bad.append(token)
    return found, bad


def _drawable(ids) -> dict[int, QuestionVersion]:
    """The approved version of each of `ids` a paper may print, by question id."""
    if not ids:
        return {}
    query = service.drawable_versions().where(QuestionVersion.question_id.in_(list(ids)))
    return {version.question_id: version for version in db.session.scalars(query)}


def _refusal(question_id: int) -> str:
    question = db.session.get(Question, question_id)
    if question is None:
        return _("Question %(n)d does not exist.", n=question_id)
    if question.status == Status.RETIRED:
        return _("Question %(n)d is retired and cannot go on a paper.", n=question_id)
    return _(
        "Question %(n)d has no approved version (it is: %(status)s); only approved questions "
        "can go on a paper.",
        n=question_id,
        status=question.question_status.label,
    )


def _pool() -> list[papers.Candidate]:
    themes = defaultdict(set)
    for question_id, theme_id in db.session.execute(select(question_theme)):
        themes[question_id].add(theme_id)
    rows = db.session.execute(
        service.drawable_versions().with_only_columns(
            QuestionVersion.question_id, QuestionVersion.level
        )
    )
    return [papers.Candidate(qid, level, frozenset(themes[qid])) for qid, level in rows]


def _shortfall_message(form: PaperForm, shortfall: papers.Shortfall) -> str:
    row = form.draws[shortfall.row].form
    theme = dict(row.theme.choices).get(row.theme.data, "")
    level = Level(row.level.data).label if row.level.data else _("any level")
    return _(
        "%(theme)s, %(level)s: %(asked)d asked, but the bank has only %(available)d approved "
        "question(s) of this theme and level that are not already on the paper.",
        theme=theme,
        level=level,
        asked=shortfall.asked,
        available=shortfall.available,
    )


def _chosen(form: PaperForm) -> tuple[list[int], dict[int, QuestionVersion]]:
    """The numbers typed, and the approved version of each; what is refused goes beside them."""
    ids, bad = _numbers(form.ids.data)
    for token in bad:
        form.ids.errors.append(_("“%(text)s” is not a question number.", text=token))
    chosen = _drawable(ids)
    form.ids.errors.extend(_refusal(qid) for qid in ids if qid not in chosen)
    return ids, chosen


def _versions_for(form: PaperForm, seed: int) -> list[QuestionVersion] | None:
    """The versions the form puts on the paper, chosen first; None with errors on the form."""
    ids, chosen = _chosen(form)
    # Every row, empty ones too, so a shortfall's position is the row on the form.
    rows = [
        papers.DrawRow(row.theme.data or None, row.level.data or None, row.count.data or 0)
        for row in (entry.form for entry in form.draws)
    ]
    asked = sum(row.count for row in rows)
    drawn: list[int] = []
    if asked:
        try:
            drawn = papers.draw(_pool(), rows, seed, taken=ids)
        except papers.NotEnough as short:
            for shortfall in short.shortfalls:
                row = form.draws[shortfall.row].form
                row.count.errors.append(_shortfall_message(form, shortfall))
    if not ids and not asked and not form.ids.errors:
        form.ids.errors.append(_("Give question numbers, or draw questions below, or both."))
    if len(ids) + asked > MAX_QUESTIONS:
        form.ids.errors.append(_("A paper holds at most %(n)d questions.", n=MAX_QUESTIONS))
    # Not form.errors: WTForms caches it at validation, before these were added.
    if form.ids.errors or any(entry.form.count.errors for entry in form.draws):
        return None
    drawn_versions = _drawable(drawn)
    return [chosen[qid] for qid in ids] + [drawn_versions[qid] for qid in drawn]


def _theme_choices(form: PaperForm) -> None:
    themes = db.session.scalars(select(Theme).where(Theme.active).order_by(Theme.short_name))
    choices = [(0, _("Any theme"))] + [(theme.id, theme.short_name) for theme in themes]
    for entry in form.draws:
        entry.form.theme.choices = choices


def _prefill(form: PaperForm, source) -> None:
    """Fill the form from a paper's address or the bank list's ticked questions."""
    ids = [part for value in source.getlist("ids") for part in value.split(",") if part.strip()]
    if ids:
        form.ids.data = ", ".join(part.strip() for part in ids)
    for field, name in (("title", "title"), ("organisation", "org")):
        if source.get(name):
            getattr(form, field).data = source.get(name)
    for field, name in (("minutes", "minutes"), ("variants", "k"), ("seed", "seed")):
        if source.get(name, type=int) is not None:
            getattr(form, field).data = source.get(name, type=int)


@bp.route("/questions/papers/new", methods=["GET", "POST"])
@roles_required(*BANK_ROLES)
def paper_new():
    """Choose questions by number or draw them by theme and level, then print the paper."""
    # The bank list's ticked questions arrive by POST (start=selection) to fill the form only.
    from_selection = request.form.get("start") == "selection"
    form = PaperForm(formdata=None) if from_selection else PaperForm()
    _theme_choices(form)
    if request.method == "GET" or from_selection:
        _prefill(form, request.form if from_selection else request.args)
    elif not form.validate_on_submit():
        _chosen(form)  # the numbers' refusals too, all in one go
    else:
        seed = form.seed.data if form.seed.data is not None else secrets.randbelow(MAX_SEED) + 1
        versions = _versions_for(form, seed)
        if versions is not None:
            title = form.title.data.strip()
            usage.record_use(versions, _used_in(seed), title[:300])
            db.session.commit()
            spec = Spec(
                tuple((v.question_id, v.number) for v in versions),
                seed,
                form.variants.data,
                title,
                (form.organisation.data or "").strip(),
                form.minutes.data,
            )
            return redirect(url_for("questions.paper_view", **spec.address()))
    return render_template("questions/papers/new.html", form=form)


# ---- a paper from its address -----------------------------------------------------------------


def _refuse(message: str, status: int = 400):
    title = _("This paper cannot be printed")
    abort(
        make_response(
            render_template("error.html", status=status, title=title, message=message), status
        )
    )


def _int_list(text: str | None) -> list[int] | None:
    parts = [part.strip() for part in (text or "").split(",")]
    if not all(part.isdigit() and len(part) < 10 for part in parts):
        return None
    return [int(part) for part in parts]


def _spec() -> Spec:
    args = request.args
    ids, revs = _int_list(args.get("ids")), _int_list(args.get("rev"))
    seed, count = args.get("seed", type=int), args.get("k", type=int)
    if (
        ids is None
        or revs is None
        or len(ids) != len(revs)
        or len(set(ids)) != len(ids)
        or len(ids) > MAX_QUESTIONS
        or seed is None
        or count is None
        or not 1 <= count <= papers.MAX_VARIANTS
    ):
        _refuse(_("This paper's address is incomplete or damaged. Make the paper again."))
    minutes = args.get("minutes", type=int) or 0
    return Spec(
        tuple(zip(ids, revs, strict=True)),
        seed,
        count,
        args.get("title", "").strip()[:200],
        args.get("org", "").strip()[:200],
        max(minutes, 0),
    )


def _printed_versions(spec: Spec) -> tuple[list[QuestionVersion], list[int]]:
    """The pinned versions, in order, and the questions that changed since the paper was made.

    A version prints if it is still its question's drawable one, or if it was on this paper when
    the paper was made (recorded as used): so an old paper reprints as it was, while an address
    typed by hand can never put a draft on a paper.
    """
    found = {
        (version.question_id, version.number): version
        for version in db.session.scalars(
            select(QuestionVersion)
            .where(tuple_(QuestionVersion.question_id, QuestionVersion.number).in_(spec.pins))
            .options(selectinload(QuestionVersion.question))
        )
    }
    recorded = set(
        db.session.scalars(
            select(QuestionUse.version_id).where(QuestionUse.used_in == _used_in(spec.seed))
        )
    )
    versions, changed = [], []
    for question_id, number in spec.pins:
        version = found.get((question_id, number))
        question = version.question if version else None
        current = (
            question is not None
            and question.status != Status.RETIRED
            and question.approved_revision == number
        )
        if version is None or not (current or version.id in recorded):
            _refuse(
                _(
                    "Question %(n)d, version %(v)d, is not approved and was not on this paper "
                    "when it was made.",
                    n=question_id,
                    v=number,
                ),
                404,
            )
        if not current:
            changed.append(question_id)
        versions.append(version)
    return versions, changed


def _built():
    spec = _spec()
    versions, changed = _printed_versions(spec)
    sources = [papers.Source(v.question_id, v.content, v.image_path) for v in versions]
    return spec, versions, changed, papers.make_variants(sources, spec.variants, spec.seed)


def answer_text(entry: papers.KeyEntry, brief: bool = False) -> str:
    """A key entry as the key page and the workbook print it; `brief`: one accepted answer."""
    if entry.kind == QuestionType.TRUE_FALSE:
        return _("True") if entry.answer else _("False")
    if entry.kind == QuestionType.SHORT_TEXT:
        shown = entry.answer[:1] if brief else entry.answer
        return " / ".join(shown) + (" …" if len(shown) < len(entry.answer) else "")
    if entry.kind == QuestionType.NUMERIC:
        text = format_decimal(entry.answer)
        if entry.tolerance:
            text += " ± " + format_decimal(entry.tolerance)
        return f"{text} {entry.unit}".strip()
    if entry.kind == QuestionType.OPEN:
        return _("Scored by the judges")
    return entry.answer


@bp.get("/questions/papers/view")
@roles_required(*BANK_ROLES)
def paper_view():
    """The paper ready to print: each variant with its answer sheet; `part=key`: the keys only."""
    spec, versions, changed, variants = _built()
    if request.args.get("part") == "key":
        return render_template(
            "questions/papers/key.html",
            spec=spec,
            variants=variants,
            versions={v.question_id: v for v in versions},
            answer_text=answer_text,
        )
    # Only what candidates see reaches this template: codes and shown questions, never a key.
    sheets = [(variant.code, variant.questions) for variant in variants]
    return render_template("questions/papers/paper.html", spec=spec, sheets=sheets, changed=changed)


def _append(sheet, values) -> None:
    """A row whose texts stay texts: openpyxl would make "=…" (a typed answer) a formula."""
    sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def _keys_workbook(spec: Spec, versions, variants) -> bytes:
    number_of = {v.question_id: v.number for v in versions}
    book = Workbook()
    keys = book.active
    keys.title = _("Keys")
    _append(keys, [_("Question no.")] + [variant.code for variant in variants])
    for position in range(len(versions)):
        _append(keys, [position + 1] + [answer_text(v.key[position]) for v in variants])
    header = [_("Question no."), _("Bank question"), _("Version"), _("Question type"), _("Answer")]
    for variant in variants:
        sheet = book.create_sheet(_("Variant %(code)d", code=variant.code))
        _append(sheet, header)
        for entry in variant.key:
            kind = str(QuestionType(entry.kind).label)
            number = number_of[entry.question_id]
            _append(sheet, [entry.number, entry.question_id, number, kind, answer_text(entry)])
    about = book.create_sheet(_("Paper"))
    for label, value in (
        (_("Title"), spec.title),
        (_("Organisation"), spec.organisation),
        (_("Time allowed (minutes)"), spec.minutes),
        (_("Seed"), spec.seed),
        (_("Address"), url_for("questions.paper_view", _external=True, **spec.address())),
    ):
        _append(about, [label, value])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@bp.get("/questions/papers/keys.xlsx")
@roles_required(*BANK_ROLES)
def paper_keys():
    """The keys of every variant in one workbook: all keys side by side, then one sheet each."""
    spec, versions, _changed, variants = _built()
    return send_file(
        io.BytesIO(_keys_workbook(spec, versions, variants)),
        mimetype=MIME_TYPES["xlsx"],
        as_attachment=True,
        download_name=f"dap-an-{spec.seed}.xlsx",
    )


@bp.get("/questions/papers/paper.docx")
@roles_required(*BANK_ROLES)
def paper_docx():
    """One variant as a Word paper (`code=101`); `answers=1` gives the judges' copy."""
    spec, versions, _changed, variants = _built()
    variant = next((v for v in variants if v.code == request.args.get("code", type=int)), None)
    if variant is None:
        abort(404)
    with_answers = request.args.get("answers") == "1"
    by_id = {version.question_id: version for version in versions}
    records = []
    for entry in variant.key:
        version = by_id[entry.question_id]
        record = record_of(version.question, version)
        records.append(replace(record, content=papers.printed_content(version.content, entry)))
    title = f"{spec.title} — {_('Variant %(code)d', code=variant.code)}"
    name = f"{'dap-an' if with_answers else 'de-thi'}-{spec.seed}-{variant.code}.docx"
    return send_file(
        io.BytesIO(word.write_paper(records, title, with_answers)),
        mimetype=MIME_TYPES["docx"],
        as_attachment=True,
        download_name=name,
    )
