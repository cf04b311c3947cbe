"""Fixtures for the format tests: the sample bank as records, as an export would give them."""

import pytest

from questions.formats import QuestionRecord
from questions.samples import sample_questions


def sample_records() -> list[QuestionRecord]:
    records = []
    for sample in sample_questions():
        source = sample["source"]
        records.append(
            QuestionRecord(
                content=sample["content"],
                title=sample["key"],
                level=sample["level"],
                points=sample["points"],
                time_limit_s=sample["time_limit_s"],
                themes=list(sample["themes"]),
                tags=list(sample["tags"]),
                source_document=source["document"],
                source_section=source.get("section") or "",
                source_url=source.get("url", ""),
                key=sample["key"],
            )
        )
    return records


@pytest.fixture
def samples() -> list[QuestionRecord]:
    return sample_records()


@pytest.fixture(scope="session")
def formats_app():
    """An app for translations only: format readers and writers need no database."""
    from contest import create_app
    from tests.conftest import settings_for

    return create_app(settings_for("sqlite://"))


@pytest.fixture(autouse=True)
def _app_context(formats_app):
    # English by default, so tests can name the words they look for; `vietnamese` switches.
    from flask_babel import force_locale

    with formats_app.test_request_context(), force_locale("en"):
        yield


@pytest.fixture
def vietnamese(formats_app):
    """Messages in Vietnamese, as the import page shows them."""
    from flask_babel import force_locale

    with force_locale("vi"):
        yield
