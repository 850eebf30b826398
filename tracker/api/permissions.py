"""Who may do what through the API: anyone reads; writes need the model's permissions."""

from rest_framework.permissions import DjangoModelPermissionsOrAnonReadOnly


class ModelPermissionsOrReadOnly(DjangoModelPermissionsOrAnonReadOnly):
    """DRF's ``DjangoModelPermissionsOrAnonReadOnly``, answering reads at once.

    A read needs no permission (``perms_map`` lists none for it), yet DRF asks the view for
    its queryset first, to learn the model: a clone of the queryset on every read (1.4 % of
    the instructions of a record's timeline). Writes are checked as DRF checks them.
    """

    def has_permission(self, request, view):
        if self.perms_map.get(request.method) == []:
            return True
        return super().has_permission(request, view)
