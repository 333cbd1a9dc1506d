"""The contribution form: the model's errors beside each field, drafts saved, edited, submitted."""

from __future__ import annotations

from govlab.testing.community import Community
from govlab.widgets import ContributionForm


def fill(form: ContributionForm, **values: str) -> None:
    for name, value in values.items():
        form.rows[name].input.value = value


def test_bad_input_shows_an_error_beside_each_field_and_saves_nothing(world: Community) -> None:
    ann = world.member("ann")
    form = ContributionForm(ann)
    fill(form, title="ab", country="XX", year_started="twenty", year_ended="")
    form.outcomes.rows[0].fields["indicator"].input.value = "Days to repair"
    form.outcomes.rows[0].fields["value"].input.value = "four"
    form.save.click()
    assert form.rows["title"].error.value.count("at least 3 characters") == 1
    assert "is not an ISO 3166-1 alpha-2 country code" in form.rows["country"].error.value
    assert "valid integer" in form.rows["year_started"].error.value
    assert "valid number" in form.outcomes.rows[0].fields["value"].error.value
    assert form.rows["summary"].error.value == ""  # a good field shows nothing
    assert form.notice.kind == "error" and "Title" in form.notice.text
    assert "outcome 1 value" in form.notice.text
    assert ann.profile().shared == []  # nothing reached the library


def test_years_out_of_order_are_named_on_the_year_ended(world: Community) -> None:
    form = ContributionForm(world.member("ann"))
    fill(form, title="Pothole triage", year_started="2020", year_ended="2019")
    form.save.click()
    assert "year_ended is before year_started" in form.rows["year_ended"].error.value


def test_a_good_draft_is_saved_edited_and_submitted(world: Community) -> None:
    ann = world.member("ann")
    form = ContributionForm(ann)
    fill(form, title="Faster pothole repairs in Leeds", country="gb", topics="roads, 311, roads")
    form.outcomes.rows[0].fields["indicator"].input.value = "Days to repair"
    form.outcomes.rows[0].fields["value"].input.value = "4"
    form.outcomes.rows[0].fields["evidence_type"].input.value = "audited"
    form.sources.rows[0].fields["url"].input.value = "https://example.org/leeds"
    form.save.click()
    saved = ann.get("faster-pothole-repairs-in-leeds")  # the short name made from the title
    assert (saved.status.value, saved.author, saved.country) == ("draft", "ann", "GB")
    assert saved.topics == ["roads", "311"]
    assert saved.outcomes[0].value == 4.0 and saved.outcomes[0].evidence_type.value == "audited"
    assert [c["id"] for c in form.mine.cards] == [saved.id]
    assert form.mine.cards[0]["chips"] == ["Draft", "You can edit it"]
    fill(form, summary="Crews fix the worst first.")
    form.why.value = "added a summary"
    form.save.click()
    edited = ann.get(saved.id)
    assert edited.summary == "Crews fix the worst first." and edited.revision == 2
    assert ann.history(saved.id)[-1].message == "added a summary"
    form.submit.click()
    assert ann.get(saved.id).status.value == "submitted"
    assert form.mine.cards[0]["chips"] == ["Submitted for review"]
    assert form.save.disabled and form.submit.disabled


def test_a_draft_sent_back_shows_the_reviewers_words_and_can_be_edited(world: Community) -> None:
    pid = world.submitted("ann")
    world.member("rev", "reviewer").request_changes(pid, "Add a source for the figure.")
    form = ContributionForm(world.member("ann"))
    card = next(c for c in form.mine.cards if c["id"] == pid)
    assert "Changes requested" in card["chips"]
    assert "Add a source for the figure." in card["summary_html"]
    form.mine.selected = pid  # open it
    assert form.editing == pid and not form.save.disabled
    assert form.rows["title"].input.value == f"Draft {pid}"


def test_removing_an_outcome_row_closes_its_widgets(world: Community) -> None:
    from .conftest import live_widgets

    form = ContributionForm(world.member("ann"))
    before = live_widgets()
    row = form.outcomes.add()
    assert live_widgets() > before
    row.remove.click()
    assert live_widgets() == before and len(form.outcomes.rows) == 1
