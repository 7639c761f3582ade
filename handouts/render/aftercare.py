"""Compose the aftercare handout: treatment content -> flowables. Pure: no file I/O."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Spacer

from handouts.content.appointments import Visit
from handouts.content.models import Brand, Condition, Labels, Treatment
from handouts.content.pictures import Picture
from handouts.content.programme import Dosed
from handouts.render.blocks import (
    NumberBadge,
    SectionMark,
    box_inner_width,
    bullets,
    grid,
    heading,
    icon,
    measured,
    para,
    row_of,
    section,
    side_by_side,
    tinted_box,
    titled_grid,
    unbroken,
)
from handouts.render.contact import contact_block
from handouts.render.inline import plain
from handouts.render.later_pages import personal
from handouts.render.localise import format_date, format_when
from handouts.render.picture import PictureBox
from handouts.render.theme import Space, Theme


def personal_block(visit: Visit, labels: Labels, theme: Theme, width: float) -> Flowable:
    """'Prepared for ...', the session and the next visit side by side, then the notes."""
    p = labels.personal
    when = unbroken(format_date(visit.date, labels))
    session = (p.session.format(date=when, therapist=unbroken(visit.therapist))
               if visit.therapist else p.session_no_therapist.format(date=when))
    who: list[Flowable] = [
        para(p.prepared_for.format(client=unbroken(visit.client)), theme, "personal.name",
             emphasis=False),
        para(session, theme, "body", emphasis=False),
    ]
    inner = box_inner_width(theme, width)
    if visit.next_visit:
        nxt = para(p.next_visit.format(date=format_when(visit.next_visit, visit.next_visit_time,
                                                        labels, whole=unbroken)),
                   theme, "personal.next", emphasis=False)
        top: list[Flowable] = [side_by_side(who, [nxt], theme, inner, 0.62)]
    else:
        top = who
    notes: list[Flowable] = [
        Spacer(1, theme.space(Space.TIGHT)),
        measured([para(p.notes, theme, "item.title"),
                  para(visit.notes, theme, "body", emphasis=False)], theme, inner),
    ] if visit.notes else []
    return tinted_box([*top, *notes], theme, width, theme.palette.tint, theme.palette.primary)


def _pictures_of(pictures: Mapping[str, Picture]) -> Callable[[str | None], Picture | None]:
    return lambda name: pictures.get(name) if name else None


def step_cards(treatment: Treatment, theme: Theme, width: float,
               art: Callable[[str | None], Picture | None]) -> list[Flowable]:
    """The session as a row of numbered cards, each with its pictogram, read left to right.

    Titles sit beside their number and pictogram when every one fits there; otherwise each
    gets a line of its own, so the cards of a row always match.
    """
    badge = theme.body_pt * 1.9
    gap = badge * 0.3
    columns = min(5, len(treatment.steps)) if width > 120 * mm else min(3, len(treatment.steps))
    column = (width - 6 * mm * (columns - 1)) / columns
    title_style = theme.style("step.title")
    marks: list[list[Flowable]] = []
    for number, step in enumerate(treatment.steps, start=1):
        mark = icon(art(step.image), theme, badge * 0.95)
        marks.append([NumberBadge(number, theme, badge), *([mark] if mark else [])])
    beside = all(
        stringWidth(plain(step.title), title_style.fontName, title_style.fontSize)
        <= column - sum(m.width + gap for m in step_marks)
        for step, step_marks in zip(treatment.steps, marks, strict=True))
    cells: list[list[Flowable]] = []
    for step, step_marks in zip(treatment.steps, marks, strict=True):
        title = para(step.title, theme, "step.title")
        text = para(step.text, theme, "step.text")
        cells.append([row_of([*step_marks, title], theme, gap), text] if beside
                     else [row_of(step_marks, theme, gap), title, text])
    return grid(cells, theme, width, columns, items="steps", listed=True)


def doses(item: Dosed, labels: Labels) -> list[str]:
    """An exercise's doses as the client reads them: hold, repeats, then sets and times a
    day where given (the email lists the same)."""
    return [labels.hold.format(seconds=item.hold_seconds),
            labels.repeats.format(count=item.repeats),
            *([labels.sets.format(count=item.sets)] if item.sets else []),
            *([labels.times_a_day.format(count=item.times_a_day)] if item.times_a_day else [])]


def stretch_cards(exercises: Sequence[Dosed], labels: Labels, theme: Theme, width: float,
                  art: Callable[[str | None], Picture | None],
                  icons: Callable[[str], Picture | None]) -> list[Flowable]:
    """Each exercise as a card: its drawing, its name, how long and how often, then how,
    and the therapist's note for this client."""
    columns = min(3, len(exercises))
    col = (width - 6 * mm * (columns - 1)) / columns
    cells: list[list[Flowable]] = []
    small = theme.style("stretch.dose").fontSize * 1.2
    drawn = any(art(item.exercise.image) for item in exercises)
    picture_h = col * 0.42 * max(theme.spacing, 0.7)
    any_more = any(len(doses(item, labels)) > 2 for item in exercises)
    for item in exercises:
        st = item.exercise
        picture = art(st.image)
        hold, repeats, *more = doses(item, labels)
        dose = row_of([
            *filter(None, [icon(icons("hold"), theme, small)]),
            para(hold, theme, "stretch.dose", emphasis=False),
            *filter(None, [icon(icons("repeats"), theme, small)]),
            para(repeats, theme, "stretch.dose", emphasis=False),
        ], theme, small * 0.35)
        cell: list[Flowable] = []
        if picture is not None:
            cell.append(PictureBox(picture, theme.palette, col, picture_h, alt=st.alt or ""))
        elif drawn:  # keep the names level with the stretches that have a drawing
            cell.append(Spacer(col, picture_h))
        cell += [para(st.name, theme, "stretch.name"), dose]
        if any_more:  # the n-th parts of a row's cards share a line: keep them level
            cell.append(para(labels.separator.join(more), theme, "stretch.dose",
                             emphasis=False) if more else Spacer(0, 0))
        cell.append(para(st.how, theme, "body"))
        if item.note:
            cell.append(para(item.note, theme, "item.title", emphasis=False))
        cells.append(cell)
    return grid(cells, theme, width, columns, items="stretches")


def home_care_title(treatment: Treatment, labels: Labels) -> str:
    """The treatment's own home-care heading ("...your feet..."), else the neutral label."""
    return treatment.home_care.title or labels.sections.home_care


def pictogram_of(treatment: Treatment, brand: Brand) -> Callable[[str], str | None]:
    """A section's icon path: the treatment's own where it sets one, else the brand's."""
    own = treatment.pictograms

    def path(section: str) -> str | None:
        chosen: str | None = getattr(own, section, None)
        return chosen or getattr(brand.pictograms, section)
    return path


def compose_aftercare(treatment: Treatment, labels: Labels, brand: Brand, *, theme: Theme,
                      width: float, pictures: Mapping[str, Picture],
                      qr_width: float, visit: Visit | None = None,
                      exercises: Sequence[Dosed] = (),
                      without_faq: bool = False, body_floor: float | None = None
                      ) -> list[Flowable]:
    """The handout's story, top to bottom, in the order a client reads it; a section the
    treatment leaves out is left out whole, heading and all.

    `without_faq` leaves the questions out: what a personalised sheet gives up, rather than
    fail, when the therapist's notes need the room. Until the type is at `body_floor` with
    its spacing tightened, a panel that would move whole to the next page and leave a blank
    band at the foot of this one makes the layout not fit, so the handout is set a little
    smaller or tighter instead (see `NoBlankFoot`).
    """
    guard = body_floor is not None and (theme.body_pt > body_floor or theme.spacing >= 1.0)

    def kept(block: Flowable) -> list[Flowable]:
        """An unbreakable panel, a section's space above it, guarded against a blank foot."""
        spaced = _spaced(block, theme)
        return [NoBlankFoot(spaced), KeepTogether([spaced])] if guard else [KeepTogether([spaced])]
    s = labels.sections
    art = _pictures_of(pictures)
    path = pictogram_of(treatment, brand)

    def icons(section: str) -> Picture | None:
        return art(path(section))
    story: list[Flowable] = [para(treatment.headline, theme, "title")]
    if visit is None:
        story += [SectionMark("intro"), measured([para(treatment.intro, theme, "intro")],
                                                 theme, width)]
    else:  # the personal greeting takes the place of the general one
        story += [Spacer(1, theme.space(Space.TIGHT)), SectionMark("personal details"),
                  personal(KeepTogether([personal(personal_block(visit, labels, theme,
                                                                 width))]))]
    if treatment.condition is not None:
        story += section("condition", treatment.condition.title, theme,
                         _condition(treatment.condition, theme, width, art),
                         pictogram=icons("condition"))
    if treatment.how_it_helps:
        story += section("how_it_helps", s.how_it_helps, theme,
                         titled_grid([(h.title, h.text) for h in treatment.how_it_helps], theme,
                                     width, columns=min(3, len(treatment.how_it_helps)),
                                     name="how_it_helps"),
                         pictogram=icons("how_it_helps"))
    story += section("steps", s.steps, theme, step_cards(treatment, theme, width, art),
                     pictogram=icons("steps"))
    if treatment.benefits:
        story += section("benefits", s.benefits, theme,
                         titled_grid([(b.title, b.text) for b in treatment.benefits], theme,
                                     width, columns=min(4, len(treatment.benefits)),
                                     name="benefits"),
                         pictogram=icons("benefits"))
    if treatment.muscles is not None:
        muscles = side_by_side([para(treatment.muscles.text, theme, "body")],
                               bullets(treatment.muscles.areas, theme), theme, width, 0.62)
        story += section("muscles", s.muscles, theme, [muscles], pictogram=icons("muscles"))
    care = treatment.home_care
    tips = [[para(tip, theme, "body")] for tip in care.tips]
    story += section("home_care", home_care_title(treatment, labels), theme, [
        measured([para(care.intro, theme, "body")], theme, width),
        Spacer(1, theme.space(Space.TIGHT)),
        *grid(tips, theme, width, columns=min(3, len(tips)), items="tips"),
    ], keep=3, pictogram=icons("home_care"))
    if exercises:  # the client's own programme is headed as theirs
        own = visit is not None and visit.exercises is not None
        story += section("home_care.exercises", labels.personal.programme if own
                         else s.stretches, theme,
                         stretch_cards(exercises, labels, theme, width, art, icons),
                         pictogram=icons("stretches"))
    story += [SectionMark("precautions and see_doctor"),
              *kept(warning_box(treatment, labels, theme, width, icons))]
    if treatment.faq and not without_faq:
        faq = [[para(q.question, theme, "faq.question"), para(q.answer, theme, "faq.answer")]
               for q in treatment.faq]
        columns = 3 if len(faq) % 3 == 0 else 2
        story += section("faq", s.faq, theme, grid(faq, theme, width, columns=columns,
                                                   items="faq"),
                         pictogram=icons("faq"))
    contact = contact_block(brand, labels, theme, width, s.contact, labels.scan_to_chat,
                            qr_width, pictures)
    story += [SectionMark("contact block (brand.yaml channels)"), *kept(contact)]
    return story


#: The most paper a handout leaves blank at the foot of a page that is not its last.
BLANK_FOOT = 35 * mm


class NoBlankFoot(Flowable):
    """Placed just before an unbreakable panel: when the panel cannot fit the room left on
    this page and moves whole to the next, leaving more than BLANK_FOOT of it blank, this
    layout is made not to fit (it asks for more than a page), so the shrink-to-fit tries the
    next smaller type or tighter spacing, which often keeps the panel on this page. Once the
    spacing at the type floor has been tightened, the layout stands as it is."""

    def __init__(self, panel: Flowable) -> None:
        super().__init__()
        self.panel = panel
        self.refused = False

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        if not self.refused:
            _, tall = self.panel.wrapOn(self.canv, available_width, available_height)
            self.refused = (tall + self.panel.getSpaceBefore() > available_height
                            and available_height > BLANK_FOOT)
        # once refused, taller than any page: the layout stops here as one that overflows
        return (available_width, 1e6) if self.refused else (0, 0)

    def draw(self) -> None:
        pass


def _condition(condition: Condition, theme: Theme, width: float,
               art: Callable[[str | None], Picture | None]) -> list[Flowable]:
    """What the condition is, its drawing beside the words when it has one."""
    text = [para(condition.text, theme, "body")]
    figure = art(condition.image)
    if figure is None:
        return [measured(text, theme, width)]
    split = 0.6
    side = (width - 6 * mm) * (1 - split)
    return [side_by_side(text, [PictureBox(
        figure, theme.palette, side, side * 0.42 * max(theme.spacing, 0.8),
        alt=condition.alt or "")], theme, width, split)]


def _spaced(block: Flowable, theme: Theme) -> Flowable:
    """A block given a section's space above it, as section() gives headings."""
    block.spaceBefore = theme.space(Space.SECTION)
    return block


def warning_box(treatment: Treatment, labels: Labels, theme: Theme, width: float,
                icons: Callable[[str], Picture | None]) -> Flowable:
    """Precautions and, where the treatment lists them, when to see a doctor, side by side
    on the apricot panel."""
    s = labels.sections
    inner = box_inner_width(theme, width)
    warn = theme.palette.warning_ink

    def column(title: str, section: str, items: list[str]) -> list[Flowable]:
        return [heading(title, theme, icons(section), "warning.title", warn),
                Spacer(1, theme.space(Space.HAIR)), *bullets(items, theme)]
    content = column(s.precautions, "precautions", treatment.precautions)
    if treatment.see_doctor:
        content = [side_by_side(content, column(s.see_doctor, "see_doctor",
                                                treatment.see_doctor), theme, inner, 0.5)]
    return tinted_box(content, theme, width, theme.palette.warning, warn)
