"""Permission matrix rows for core, accounts, allauth, the directory and partnerships."""

from __future__ import annotations

from commonground.accounts.models import ApiToken
from commonground.core.models import Delivery, DeliveryStatus
from commonground.core.testing import Row, World
from commonground.partnerships import rules as p


def rows(world: World) -> list[Row]:
    slug = {"slug": world.partnership.slug}
    org = {"slug": world.organisation.slug}
    token = ApiToken.objects.create(
        user=world.users["manager"], name="t", prefix="abc", token_hash="x" * 64
    )

    def fresh_role() -> dict:
        # Ending a role is destructive: each request gets a role of its own.
        from commonground.accounts.tests.factories import UserFactory
        from commonground.partnerships.tests.factories import RoleFactory

        return {
            **slug,
            "pk": RoleFactory(
                partnership=world.partnership, user=UserFactory(), kind="champion"
            ).pk,
        }

    failed = Delivery.objects.create(
        partnership=world.partnership,
        to="lost@example.org",
        subject="s",
        kind="invitation",
        status=DeliveryStatus.FAILED,
    )
    org_payload = {"name": world.organisation.name, "sector": "civil"}
    return [
        Row("core:dashboard", {}, "signed_in"),
        Row("core:inbox_count", {}, "signed_in"),
        Row("core:about", {}, "public"),
        Row("core:healthz", {}, "public"),
        Row("core:deliveries", {}, "staff"),
        Row("core:delivery_retry", {"pk": failed.pk}, "staff", method="post"),
        Row("core:partnership_deliveries", slug, p.MANAGE),
        Row(
            "core:partnership_delivery_retry",
            {**slug, "pk": failed.pk},
            p.MANAGE,
            method="post",
        ),
        Row("core:readyz", {}, "public"),
        # Only a scraper with COMMONGROUND_METRICS_TOKEN sees it (core.observability).
        Row("core:metrics", {}, "public_404"),
        Row("core:set_language", {}, "public", method="post", data={"language": "en", "next": "/"}),
        # allauth: sign-in flows are public; account management needs a session.
        Row("account_login", {}, "public"),
        Row("account_logout", {}, "signed_in"),
        Row("account_signup", {}, "public"),
        Row("account_reset_password", {}, "public"),
        Row("account_reset_password_done", {}, "public"),
        Row("account_reset_password_from_key", {"uidb36": "x", "key": "y"}, "public"),
        Row("account_reset_password_from_key_done", {}, "public"),
        Row("account_inactive", {}, "public"),
        Row("account_email_verification_sent", {}, "public"),
        Row("account_confirm_email", {"key": "nope"}, "public"),
        Row("account_confirm_login_code", {}, "signed_in"),
        Row("account_change_password", {}, "signed_in"),
        Row("account_set_password", {}, "signed_in"),
        Row("account_email", {}, "signed_in"),
        Row("account_reauthenticate", {}, "signed_in"),
        Row("accounts:profile", {}, "signed_in"),
        Row("accounts:tokens", {}, "signed_in"),
        Row("accounts:token_revoke", {"pk": token.pk}, "owner:manager", method="post"),
        Row("accounts:invitation", {"token": "no-such-token"}, "public_404"),
        # Single sign-on (accounts.sso): no identity provider is configured in the tests,
        # so its pages answer 404; signup and error pages are never used (urls_auth).
        Row("openid_connect_login", {"provider_id": "sso"}, "public_404"),
        Row("openid_connect_callback", {"provider_id": "sso"}, "public_404"),
        Row("socialaccount_signup", {}, "public_404"),
        Row("socialaccount_login_error", {}, "public_404"),
        Row("socialaccount_login_cancelled", {}, "public"),
        Row("socialaccount_connections", {}, "signed_in"),
        Row("organisations:list", {}, "signed_in"),
        Row("organisations:create", {}, "signed_in"),
        Row("organisations:pick", {}, "signed_in"),
        Row("organisations:detail", org, "signed_in"),
        Row("organisations:edit", org, "org_editor"),
        Row("partnerships:list", {}, "signed_in"),
        Row("partnerships:create", {}, "signed_in"),
        Row("partnerships:home", slug, p.VIEW),
        Row("partnerships:edit", slug, p.MANAGE),
        Row("partnerships:members", slug, p.VIEW),
        Row("partnerships:membership_set", slug, p.MANAGE, method="post"),
        Row("partnerships:role_assign", slug, p.MANAGE, method="post"),
        Row("partnerships:role_end", fresh_role, p.MANAGE, method="post"),
        Row("partnerships:role_edit", fresh_role, p.MANAGE),
        Row("partnerships:invite", slug, p.INVITE),
        Row("partnerships:audit", slug, p.VIEW_AUDIT),
        Row("partnerships:ending", slug, p.VIEW),
        Row(
            "partnerships:ending_step",
            {**slug, "step": "dissatisfaction"},
            p.MANAGE,
            method="post",
            data={"dissatisfaction-dissatisfaction_note": "Told the partners and the fund."},
        ),
        # Refused by the service (the steps are not all recorded): a redirect, not an end.
        Row("partnerships:ending_end", slug, p.MANAGE, method="post"),
        Row("partnerships:panel", {**slug, "key": "results"}, p.VIEW),
        Row("api:api-root", {}, "public_404", api=True),
        Row("api:openapi-json", {}, "public", api=True),
        Row("api:openapi-view", {}, "public", api=True),
        Row("api:organisation_list", {}, "signed_in", api=True),
        Row("api:organisation_create", {}, "signed_in", api=True, method="post", data={}),
        Row("api:organisation_detail", org, "signed_in", api=True),
        Row(
            "api:organisation_update", org, "org_editor", api=True, method="patch", data=org_payload
        ),
        Row("api:partnership_list", {}, "signed_in", api=True),
        Row("api:partnership_detail", slug, p.VIEW, api=True),
        Row("api:partnership_members", slug, p.VIEW, api=True),
        Row("api:partnership_roles", slug, p.VIEW, api=True),
        Row(
            "api:partnership_member_set",
            slug,
            p.MANAGE,
            api=True,
            method="post",
            data={"organisation": world.organisation.slug},
        ),
    ]
