"""Who may read, draft and sign agreements and the members' compact."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from commonground.core.policy import ALL_ROLES, MANAGERS, register

VIEW = register("agreements.view", _("read agreements and the members' compact"), ALL_ROLES)
DRAFT = register("agreements.draft", _("draft and amend agreements"), MANAGERS | {"representative"})
# Who may try to sign: the service then checks that the person is the authorised
# signatory (or representative, for the compact) of the organisation concerned.
SIGN = register(
    "agreements.sign",
    _("ratify agreements and sign the compact for your organisation"),
    ALL_ROLES - {"observer"},
)
MANAGE_COMPACT = register("agreements.manage_compact", _("set up a members' compact"), MANAGERS)
