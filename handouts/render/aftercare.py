"""Compose the aftercare handout: treatment content -> flowables. Pure: no file I/O."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from handouts.content.models import Brand, Labels, Treatment
from handouts.render.blocks import (
    SectionMark,
    bullet_columns,
    bullets,
    grid,
    numbered_steps,
    para,
    section,
    tinted_box,
    titled_grid,
)
from handouts.render.contact import contact_block
from handouts.render.theme import Theme

#: QR symbol width without its quiet zone: DESIGN.md asks for at least 20 mm.
QR_SYMBOL_WIDTH = 21 * mm


def compose_aftercare(treatment: Treatment, labels: Labels, brand: Brand, *, theme: Theme,
                      width: float) -> list[Flowable]:
    """The handout's story, top to bottom, in the order a client reads it."""
    s = labels.sections
    gap = theme.gap
    story: list[Flowable] = [
        para(treatment.headline, theme, "title"),
        para(treatment.intro, theme, "intro"),
        Spacer(1, gap),
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
         Paragraph(" · ".join([labels.hold.format(seconds=st.hold_seconds),
                               labels.repeats.format(count=st.repeats)]),
                   theme.style("stretch.dose")),
         para(st.how, theme, "body")]
        for st in care.stretches
    ]
    story += section("home_care", s.home_care, theme, [
        para(care.intro, theme, "body"),
        Spacer(1, gap * 0.3),
        *bullets(care.tips, theme),
    ])
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
