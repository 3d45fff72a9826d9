from django.contrib import admin

from .models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    """Instance administrators set which email domains may sign in through single
    sign-on (accounts.sso); everything else is edited in the directory."""

    list_display = ["name", "org_number", "email_domains"]
    search_fields = ["name", "org_number", "email_domains"]
    fields = ["name", "email_domains"]
    readonly_fields = ["name"]

    def has_add_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False
