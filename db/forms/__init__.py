"""The park's own form templates kept in the ledger (issue #20): every template the secretary adds and every
form of an installed pack (表格包), with its bytes, SHA-256 and version.

model.py        FormTemplate, FormPack
store.py        list / add (a new version for a known name) / install a pack / remove a pack
interchange.py  the `form_templates` section (bytes as base64)

Checking a template's fields and reading a pack's zip are exports/forms' work (db never imports exports): the
caller checks, then stores here.
"""

from __future__ import annotations

from db.forms import interchange  # importing it registers the section
from db.forms.model import FormPack, FormTemplate
from db.forms.store import (
    add_pack,
    add_template,
    get_template,
    installed_packs,
    list_packs,
    list_templates,
    pack_templates,
    remove_pack,
    template_data,
)

__all__ = [
    "FormPack",
    "FormTemplate",
    "add_pack",
    "add_template",
    "get_template",
    "installed_packs",
    "interchange",
    "list_packs",
    "list_templates",
    "pack_templates",
    "remove_pack",
    "template_data",
]
