"""Compose the aftercare handout: treatment content -> flowables. Pure: no file I/O."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from handouts.content.appointments import Visit
from handouts.content.models import Brand, Labels, Treatment
from handouts.render.blocks import (
    SectionMark,
    box_inner_width,
    bullet_columns,
    bullets,
    grid,
    lead_in,
    numbered_steps,
    para,
    section,
    side_by_side,
    tinted_box,
    titled_grid,
)
from handouts.render.contact import contact_block
from handouts.render.localise import format_date
from handouts.render.theme import Theme

#: QR symbol width without its quiet zone: DESIGN.md asks for at least 20 mm.
QR_SYMBOL_WIDTH = 21 * mm


def personal_block(visit: Visit, labels: Labels, theme: Theme, width: float) -> Flowable:
    """'Prepared for ...', the session and the next visit side by side, then the notes."""
    p = labels.personal
    when = format_date(visit.date, labels)
    session = (p.session.format(date=when, therapist=visit.therapist) if visit.therapist
               else p.session_no_therapist.format(date=when))
    who: list[Flowable] = [
        para(p.prepared_for.format(client=visit.client), theme, "personal.name", emphasis=False),
        para(session, theme, "body", emphasis=False),
    ]
    inner = box_inner_width(theme, width)
    if visit.next_visit:
        nxt = para(p.next_visit.format(date=format_date(visit.next_visit, labels)), theme,
                   "personal.next", emphasis=False)
        top: list[Flowable] = [side_by_side(who, [nxt], theme, inner, 0.62)]
    else:
        top = who
    notes: list[Flowable] = [
        Spacer(1, theme.gap * 0.3),
        lead_in(p.notes, visit.notes, theme, "item.title", "body", emphasis=False),
    ] if visit.notes else []
    return tinted_box([*top, *notes], theme, width, theme.palette.tint, theme.palette.primary)


def compose_aftercare(treatment: Treatment, labels: Labels, brand: Brand, *, theme: Theme,
                      width: float, visit: Visit | None = None) -> list[Flowable]:
    """The handout's story, top to bottom, in the order a client reads it."""
    s = labels.sections
    gap = theme.gap
    story: list[Flowable] = [para(treatment.headline, theme, "title")]
    if visit is None:
        story += [para(treatment.intro, theme, "intro"), Spacer(1, gap)]
    else:  # the personal greeting takes the place of the general one
        story += [Spacer(1, gap * 0.3), SectionMark("personal details"),
                  KeepTogether([personal_block(visit, labels, theme, width)]), Spacer(1, gap)]
    story += [
        *section("condition", treatment.condition.title, theme,
                 [para(treatment.condition.text, theme, "body")]),
        *section("how_it_helps", s.how_it_helps, theme,
                 titled_grid([(h.title, h.text) for h in treatment.how_it_helps], theme, width,
                             columns=min(3, len(treatment.how_it_helps)))),
        *section("steps", s.steps, theme,
                 numbered_steps([(st.title, st.text) for st in treatment.steps], theme, width)),
        *section("benefits", s.benefits, theme,
                 titled_grid([(b.title, b.text) for b in treatment.benefits], theme, width,
                             columns=2, run_in=True)),
        *section("muscles", s.muscles, theme,
                 [para(treatment.muscles.text, theme, "body"),
                  Spacer(1, gap * 0.2),
                  bullet_columns(treatment.muscles.areas, theme, width)]),
    ]
    care = treatment.home_care
    stretches = [
        [para(st.name, theme, "stretch.name"),
         para(labels.separator.join([labels.hold.format(seconds=st.hold_seconds),
                                     labels.repeats.format(count=st.repeats)]),
              theme, "stretch.dose", emphasis=False),
         para(st.how, theme, "body")]
        for st in care.stretches
    ]
    story += section("home_care", s.home_care, theme, [
        para(care.intro, theme, "body"),
        Spacer(1, gap * 0.3),
        *bullets(care.tips, theme),
    ], keep=3)
    story += section("home_care.stretches", s.stretches, theme,
                     grid(stretches, theme, width, columns=min(3, len(stretches))))
    warning = tinted_box([
        para(s.precautions, theme, "warning.title"),
        *bullets(treatment.precautions, theme),
        Spacer(1, gap * 0.4),
        para(s.see_doctor, theme, "warning.subtitle"),
        *bullets(treatment.see_doctor, theme),
    ], theme, width, theme.palette.warning, theme.palette.warning_ink)
    story += [SectionMark("precautions and see_doctor"), KeepTogether([warning]), Spacer(1, gap)]
    faq = [[para(q.question, theme, "faq.question"), para(q.answer, theme, "faq.answer")]
           for q in treatment.faq]
    columns = 3 if len(faq) % 3 == 0 else 2
    story += section("faq", s.faq, theme, grid(faq, theme, width, columns=columns))
    contact = contact_block(brand, labels, theme, width, s.contact, labels.scan_to_chat,
                            QR_SYMBOL_WIDTH)
    story += [SectionMark("contact block (brand.yaml channels)"), KeepTogether([contact])]
    return story
