from django.contrib import admin

from .models import AllianceTarget, Theme

admin.site.register(AllianceTarget)
admin.site.register(Theme)
