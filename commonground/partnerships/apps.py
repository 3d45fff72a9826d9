from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    name = "commonground.partnerships"
    label = "partnerships"
    verbose_name = _("Partnerships")

    def ready(self) -> None:
        from commonground.core import hooks, policy
        from commonground.core.nav import register_nav

        from . import dashboard, invitations, roles, rules, selectors

        policy.use_role_lookups(roles)
        hooks.provide(hooks.ORGANISATION_PARTNERSHIPS, selectors.partnerships_of_organisation)
        hooks.provide(hooks.INVITATION_ACCEPT, invitations.invitation_accept)
        hooks.provide(hooks.DASHBOARD, dashboard.dashboard)

        register_nav(
            order=0, label=_("Overview"), url_name="partnerships:home", capability=rules.VIEW
        )
        register_nav(
            order=10, label=_("Members"), url_name="partnerships:members", capability=rules.VIEW
        )
        register_nav(
            order=890,
            label=_("Ending"),
            url_name="partnerships:ending",
            capability=rules.VIEW,
        )
        register_nav(
            order=900,
            label=_("Audit log"),
            url_name="partnerships:audit",
            capability=rules.VIEW_AUDIT,
        )
