"""API tokens in the admin: editors issue and revoke their own; only superusers anyone's.

A token acts as its user, and the history records that user: letting an editor mint a token
for someone else would let them write under another name.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from rest_framework.authtoken.admin import TokenAdmin
from rest_framework.authtoken.models import TokenProxy


class OwnTokenAdmin(TokenAdmin):
    def get_queryset(self, request):
        tokens = super().get_queryset(request).select_related("user")
        return tokens if request.user.is_superuser else tokens.filter(user=request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user" and not request.user.is_superuser:
            kwargs["queryset"] = get_user_model().objects.filter(pk=request.user.pk)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


admin.site.unregister(TokenProxy)
admin.site.register(TokenProxy, OwnTokenAdmin)
