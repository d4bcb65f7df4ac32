"""Query parameter types shared by the pages and the API.

A browser submits every field of a form, so an untouched date or year arrives as ``date_from=`` — an
empty string that FastAPI would refuse as an invalid date. An empty value means "no filter" here.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import BeforeValidator, Field


def _blank_is_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


OptionalDate = Annotated[dt.date | None, BeforeValidator(_blank_is_none)]
# the bounds sit on the int, not on the optional: a constraint applied to None would fail
OptionalYear = Annotated[Annotated[int, Field(ge=1949, le=2100)] | None, BeforeValidator(_blank_is_none)]
