"""A Griffe extension for the API reference: the docstrings' Sphinx roles as code spans.

The docstrings cross-reference with Sphinx roles (:func:`load`, :class:`~aidstats.errors.PackageError`),
which mkdocstrings would print as they are. Each becomes a code span of the name a reader would type:
the last part of a name written with ``~``, else the name as written.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

ROLE = re.compile(r":(?:func|class|mod|meth|attr|data|exc|obj):`(~?)([^`]+)`")


def plain(text: str) -> str:
    return ROLE.sub(lambda m: f"``{m.group(2).rsplit('.', 1)[-1] if m.group(1) else m.group(2)}``", text)


class SphinxRoles(griffe.Extension):
    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = plain(obj.docstring.value)
