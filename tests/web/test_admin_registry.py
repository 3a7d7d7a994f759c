"""Admins manage the registry in the app: speakers, outlets and themes are listed,
created, edited, retired and restored; every change is validated (a clear 4xx, never a
500), audited with the value before, kept by the start-up YAML sync, and used by the
extractor for the next upload."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from app.ingest import OutletRef
from app.models import AuditEvent, Outlet, Speaker, Statement, Theme
from app.services.registry import current_registry, sync_registry
from tests.factories import make_article, speaker

NICKNAME_QUOTE = (
    "Moscow sets its terms\n\n"
    "The talks in Geneva ended on Friday without a date for the next round.\n\n"
    "\u201cWe will wait for a written answer before any further round,\u201d Old Bear said."
)


@pytest.fixture
def admin(app, sign_in) -> Iterator[TestClient]:
    """Signed in as an admin; a redirect is answered, not followed, so tests see the 303."""
    with TestClient(app, raise_server_exceptions=False, follow_redirects=False) as test_client:
        sign_in(test_client, "admin")
        yield test_client


def audit_rows(session, action: str) -> list[AuditEvent]:
    return list(
        session.execute(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        ).scalars()
    )


def lavrov_form(**changes: object) -> dict[str, object]:
    """The form of Sergey Lavrov as the edit page fills it, with `changes`."""
    form: dict[str, object] = {
        "name": "Sergey Lavrov",
        "kind": "person",
        "country": "RU",
        "organisation": "Ministry of Foreign Affairs of Russia",
        "aliases": "Sergei Lavrov\nLavrov",
        "role_title": ["Foreign Minister of Russia", ""],
        "role_from": ["2004-03-09", ""],
        "role_to": ["", ""],
        "role_descriptors": ["Russian Foreign Minister; Russia's top diplomat", ""],
    }
    form.update(changes)
    return form


@pytest.mark.parametrize("section", ["speakers", "outlets", "themes"])
def test_an_admin_sees_each_registry_list_with_a_form_to_add_one(admin, section):
    page = admin.get(f"/admin/{section}")
    assert page.status_code == 200
    assert 'id="registry-list"' in page.text and f'action="/admin/{section}"' in page.text
    assert 'name="csrf_token"' in page.text


def test_the_speaker_list_finds_a_speaker_by_an_alias(admin):
    page = admin.get("/admin/speakers", params={"q": "Sergei Lavrov"})
    assert 'id="entry-sergey-lavrov"' in page.text
    assert 'id="entry-sergei-ryabkov"' not in page.text


def test_adding_an_alias_is_audited_with_the_value_before_and_used_by_the_next_upload(
    admin, session
):
    before_edit = make_article(session, text=NICKNAME_QUOTE)
    assert before_edit.statements[0].speaker.slug == "old-bear"
    aliases = "Sergei Lavrov\nLavrov\nOld Bear"
    response = admin.post("/admin/speakers/sergey-lavrov", data=lavrov_form(aliases=aliases))
    assert response.status_code == 303
    [event] = audit_rows(session, "speaker.edit")
    assert "Old Bear" not in event.before["aliases"] and "Old Bear" in event.after["aliases"]
    assert event.actor_name == "admin" and event.target_id == speaker(session, "sergey-lavrov").id
    history = admin.get("/admin/speakers/sergey-lavrov").text
    assert f'id="event-{event.id}"' in history
    after_edit = make_article(session, text=NICKNAME_QUOTE.replace("Friday", "Saturday"))
    assert after_edit.statements[0].speaker.slug == "sergey-lavrov"


def test_the_history_of_an_edit_lists_the_fields_it_changed_and_counts_the_others(admin, session):
    aliases = "Sergei Lavrov\nLavrov\nOld Bear"
    admin.post("/admin/speakers/sergey-lavrov", data=lavrov_form(aliases=aliases))
    [event] = audit_rows(session, "speaker.edit")
    history = admin.get("/admin/speakers/sergey-lavrov").text
    entry = history[history.index(f'id="event-{event.id}"') :]
    entry = entry[: entry.index("</li>")]
    changed = {key for key in event.before if event.before[key] != event.after.get(key)}
    assert "aliases" in changed and "country" not in changed
    for key in event.before:
        assert (f'<th scope="row">{key}</th>' in entry) == (key in changed)
    assert f"{len(event.before) - len(changed)} other fields unchanged." in entry


def test_an_admin_creates_a_speaker_with_roles_and_the_extractor_knows_the_role(admin, session):
    response = admin.post(
        "/admin/speakers",
        data={
            "name": "Ilse Varga",
            "kind": "person",
            "country": "ls",
            "aliases": "Varga",
            "role_title": ["Foreign Minister of Lesotho"],
            "role_from": ["2021-01-01"],
            "role_to": [""],
            "role_descriptors": ["Lesotho's foreign minister"],
        },
    )
    assert (
        response.status_code == 303 and response.headers["location"] == "/admin/speakers/ilse-varga"
    )
    created = speaker(session, "ilse-varga")
    assert created.country == "LS" and created.edited_at is not None and created.confirmed
    assert created.roles[0]["from"] == "2021-01-01"
    [event] = audit_rows(session, "speaker.create")
    assert event.before is None and event.after["name"] == "Ilse Varga"
    article = make_article(
        session,
        text=(
            "Maseru weighs in\n\nThe ministers met in Vienna on Tuesday.\n\n"
            "\u201cWe will keep every channel open,\u201d Lesotho's foreign minister said."
        ),
        published=date(2022, 3, 1),
    )
    assert [s.speaker.slug for s in article.statements] == ["ilse-varga"]


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"name": "   "}, "The name cannot be empty."),
        ({"aliases": "Lavrov\nRyabkov"}, "Sergei Ryabkov already goes by “Ryabkov”"),
        ({"kind": "robot"}, "a person or an institution"),
        ({"country": "Russia!"}, "code of 2 to 8 letters"),
        ({"role_from": ["2004-02-31", ""]}, "is not a date"),
        ({"role_from": ["2010-01-01", ""], "role_to": ["2009-01-01", ""]}, "before it starts"),
        (
            {
                "role_title": ["Foreign Minister of Russia", "Foreign Minister of Russia"],
                "role_from": ["2004-03-09", "2010-01-01"],
                "role_to": ["", "2012-01-01"],
            },
            "overlap",
        ),
        ({"role_title": ["", ""], "role_from": ["2004-03-09", ""]}, "needs a title"),
        ({"name": "x" * 301}, "at most 300"),
        ({"aliases": "a" * 400}, "at most 300"),
    ],
)
def test_a_speaker_that_cannot_be_saved_says_why_with_a_422_and_changes_nothing(
    admin, session, changes, message
):
    response = admin.post("/admin/speakers/sergey-lavrov", data=lavrov_form(**changes))
    assert response.status_code == 422
    assert message in response.text
    assert audit_rows(session, "speaker.edit") == []
    session.expire_all()
    assert speaker(session, "sergey-lavrov").edited_at is None


@pytest.mark.parametrize(
    "data, message",
    [
        ({"name": "Sergey Lavrov", "slug": "sergey-lavrov"}, "is taken"),
        ({"name": "New Person", "slug": "Bad Slug!"}, "lowercase letters"),
        ({"name": ""}, "cannot be empty"),
        ({"name": "Another", "aliases": "Lavrov"}, "Sergey Lavrov already goes by “Lavrov”"),
    ],
)
def test_a_new_speaker_that_cannot_be_added_says_why(admin, session, data, message):
    response = admin.post("/admin/speakers", data=data)
    assert response.status_code == 422 and message in response.text
    assert audit_rows(session, "speaker.create") == []


def test_hostile_text_is_stored_as_text_and_rendered_inert(admin, session):
    payload = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
    response = admin.post("/admin/speakers", data={"name": payload, "slug": "hostile"})
    assert response.status_code == 303
    page = admin.get("/admin/speakers/hostile").text
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page
    assert admin.get("/admin/speakers", params={"q": "' OR 1=1 --%_\\"}).status_code == 200
    assert admin.get("/admin/speakers/" + "x" * 500).status_code in {400, 404, 422}
    assert admin.get("/admin/speakers/%00").status_code == 404
    assert admin.get("/admin/speakers", params={"q": "\x00"}).status_code == 200
    assert admin.post("/admin/speakers", data={"name": "nul\x00byte"}).status_code < 500


def test_an_edited_speaker_survives_the_start_up_sync_and_new_yaml_entries_still_arrive(
    admin, session
):
    admin.post("/admin/speakers/sergey-lavrov", data=lavrov_form(aliases="Old Bear"))
    theme = session.execute(select(Theme).where(Theme.slug == "sanctions")).scalar_one()
    theme.phrases = ["a phrase the sync would overwrite"]
    session.execute(
        Speaker.__table__.delete().where(Speaker.slug == "sergei-ryabkov")
    )  # as if a release added him to speakers.yaml
    sync_registry(session)
    session.expire_all()
    lavrov = speaker(session, "sergey-lavrov")
    assert sorted(a.alias for a in lavrov.aliases) == ["Old Bear", "Sergey Lavrov"]
    assert speaker(session, "sergei-ryabkov").confirmed
    assert "sanctions" in session.get(Theme, theme.id).phrases, "an unedited row follows the YAML"


def test_retiring_a_speaker_keeps_its_statements_hides_it_from_extraction_and_is_undone(
    admin, session
):
    article = make_article(session)
    lavrov = speaker(session, "sergey-lavrov")
    statements = session.execute(
        select(func.count(Statement.id)).where(Statement.speaker_id == lavrov.id)
    ).scalar_one()
    assert admin.post("/admin/speakers/sergey-lavrov/retire").status_code == 303
    session.expire_all()
    assert speaker(session, "sergey-lavrov").retired_at is not None
    assert session.get(Statement, article.statements[0].id).speaker_id == lavrov.id
    assert (
        statements
        == session.execute(
            select(func.count(Statement.id)).where(Statement.speaker_id == lavrov.id)
        ).scalar_one()
    )
    assert "sergey-lavrov" not in {s.slug for s in current_registry(session).speakers}
    again = admin.post("/admin/speakers/sergey-lavrov/retire")
    assert again.status_code == 409 and "already retired" in again.text
    assert admin.post("/admin/speakers/sergey-lavrov/restore").status_code == 303
    assert "sergey-lavrov" in {s.slug for s in current_registry(session).speakers}
    assert [e.before["retired"] is None for e in audit_rows(session, "speaker.retire")] == [True]
    assert len(audit_rows(session, "speaker.restore")) == 1


def test_an_edited_theme_tags_the_next_upload_and_a_malformed_phrase_is_refused(admin, session):
    theme = session.execute(select(Theme).where(Theme.slug == "sanctions")).scalar_one()
    phrases = "\n".join([*theme.phrases, "zebra crossing accord"])
    bad = admin.post(
        "/admin/themes/sanctions",
        data={"name": "Sanctions", "description": theme.description, "phrases": phrases + "\n-"},
    )
    assert bad.status_code == 422 and "must start and end with a letter or digit" in bad.text
    good = admin.post(
        "/admin/themes/sanctions",
        data={"name": "Sanctions", "description": theme.description, "phrases": phrases},
    )
    assert good.status_code == 303
    [event] = audit_rows(session, "theme.edit")
    assert "zebra crossing accord" in event.after["phrases"]
    assert "zebra crossing accord" not in event.before["phrases"]
    article = make_article(
        session,
        text=(
            "Talks on the corridor\n\nDiplomats met in Geneva on Monday.\n\n"
            "\u201cThe zebra crossing accord must be honoured in full,\u201d Sergey Lavrov said."
        ),
    )
    assert "sanctions" in {t.theme.slug for t in article.statements[0].themes}


def test_an_outlet_given_a_domain_claims_the_next_article_from_it(admin, session):
    response = admin.post(
        "/admin/outlets",
        data={"name": "Danube Courier", "domains": "https://x\n", "aliases": ""},
    )
    assert response.status_code == 422 and "is not a domain" in response.text
    clash = admin.post("/admin/outlets", data={"name": "Copy", "domains": "reuters.com"})
    assert clash.status_code == 422 and "Reuters already has the domain reuters.com" in clash.text
    created = admin.post(
        "/admin/outlets",
        data={"name": "Danube Courier", "domains": "WWW.danube-courier.example\n", "aliases": "DC"},
    )
    assert created.status_code == 303
    outlet = session.execute(select(Outlet).where(Outlet.slug == "danube-courier")).scalar_one()
    assert outlet.domains == ["danube-courier.example"] and outlet.aliases == ["DC"]
    article = make_article(
        session,
        url="https://news.danube-courier.example/2022/talks",
        outlet=OutletRef(slug="news", name="News", domain=None, known=False),
    )
    assert article.outlet.slug == "danube-courier"
    [event] = audit_rows(session, "outlet.create")
    assert event.after["domains"] == ["danube-courier.example"]


def test_an_unchanged_form_changes_nothing_and_says_so(admin, session):
    theme = session.execute(select(Theme).where(Theme.slug == "sanctions")).scalar_one()
    response = admin.post(
        "/admin/themes/sanctions",
        data={
            "name": theme.name,
            "description": theme.description,
            "phrases": "\n".join(theme.phrases),
        },
    )
    assert response.status_code == 422 and "Nothing changed." in response.text
    assert audit_rows(session, "theme.edit") == []


def test_unknown_entries_are_404(admin):
    assert admin.get("/admin/themes/no-such-theme").status_code == 404
    assert admin.post("/admin/outlets/no-such-outlet", data={"name": "x"}).status_code == 404
    assert admin.post("/admin/speakers/no-such-person/retire").status_code == 404


@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_only_admins_reach_the_registry_pages(app, sign_in, role):
    with TestClient(app, raise_server_exceptions=False) as other:
        sign_in(other, role)
        assert other.get("/admin/speakers").status_code == 403
        assert other.post("/admin/themes/sanctions", data={"name": "x"}).status_code == 403
        assert other.post("/admin/speakers/sergey-lavrov/retire").status_code == 403


def test_a_registry_change_without_the_csrf_token_is_refused(admin, session):
    del admin.headers["X-CSRF-Token"]
    response = admin.post("/admin/speakers/sergey-lavrov", data=lavrov_form(aliases="Old Bear"))
    assert response.status_code == 403
    assert audit_rows(session, "speaker.edit") == []


def test_reprocessing_from_the_admin_page_brings_stored_articles_up_to_the_edit(admin, session):
    article = make_article(session, text=NICKNAME_QUOTE)
    assert article.statements[0].speaker.slug == "old-bear"
    admin.post("/admin/speakers/sergey-lavrov", data=lavrov_form(aliases="Old Bear\nLavrov"))
    response = admin.post("/admin/speakers/sergey-lavrov/reprocess")
    assert response.status_code == 200 and "Reprocessed" in response.text
    session.expire_all()
    [statement] = session.execute(
        select(Statement).where(Statement.article_id == article.id)
    ).scalars()
    assert statement.speaker.slug == "sergey-lavrov"
    [event] = audit_rows(session, "speaker.reprocess")
    assert event.after["articles"] >= 1 and event.before["statements"] >= 1


def test_reprocessing_an_entry_no_article_names_says_so(admin):
    admin.post("/admin/themes", data={"name": "Quiet theme", "phrases": "unheard of phrase"})
    response = admin.post("/admin/themes/quiet-theme/reprocess")
    assert response.status_code == 409 and "nothing to reprocess" in response.text


def test_a_retired_outlet_no_longer_claims_new_articles_but_keeps_its_old_ones(admin, session):
    tass = OutletRef(slug="tass", name="TASS", domain="tass.com", known=True)
    before = make_article(session, outlet=tass, url="https://tass.com/politics/1")
    assert admin.post("/admin/outlets/tass/retire").status_code == 303
    after = make_article(session, outlet=tass, url="https://tass.com/politics/2")
    assert after.outlet is None
    session.expire_all()
    assert session.get(type(before), before.id).outlet.slug == "tass"


def test_the_speaker_page_shows_an_admin_edit_in_its_history_and_links_admins_to_it(
    admin, client, session
):
    admin.post("/admin/speakers/sergey-lavrov", data=lavrov_form(aliases="Old Bear\nLavrov"))
    [event] = audit_rows(session, "speaker.edit")
    page = admin.get("/speakers/sergey-lavrov").text
    assert f'id="event-{event.id}"' in page and 'id="edit-in-registry"' in page
    assert 'id="edit-in-registry"' not in client.get("/speakers/sergey-lavrov").text
