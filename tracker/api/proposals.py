"""A source's proposals through the API: listed with the source, accepted or rejected one by
one with an Editor's token (``services.proposals`` does the writing)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, serializers, status
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from ..models import Proposal, Source
from ..selectors.proposals import inbox, progress
from ..services.proposals import accept, reject
from .fields import KnownFieldsMixin
from .renderers import JSONRenderer
from .serializers import api_url


class ProposalSerializer(serializers.ModelSerializer):
    """A proposal: its sentence and where it stands in the text (offsets into the text
    version ``text_version``; the clause's, ``part_start``/``part_end``, into the sentence),
    the records matched (best first), the values parsed, the proposed change, and what
    became of it."""

    text_version = serializers.IntegerField(source="text.version", read_only=True)
    records = serializers.ListField(child=serializers.DictField(), read_only=True)
    values = serializers.DictField(read_only=True)
    change = serializers.DictField(read_only=True)
    handled_by = serializers.CharField(
        source="handled_by.username", read_only=True, default=None, allow_null=True
    )
    event = serializers.IntegerField(source="event_id", read_only=True, allow_null=True)
    citation = serializers.IntegerField(source="citation_id", read_only=True, allow_null=True)
    accept_url = serializers.SerializerMethodField()
    reject_url = serializers.SerializerMethodField()

    class Meta:
        model = Proposal
        fields = [
            "id",
            "text_version",
            "position",
            "sentence",
            "sentence_start",
            "sentence_end",
            "paragraph_start",
            "paragraph_end",
            "part_start",
            "part_end",
            "action",
            "records",
            "values",
            "change",
            "quote",
            "status",
            "reason",
            "handled_by",
            "handled_at",
            "event",
            "citation",
            "accept_url",
            "reject_url",
        ]
        read_only_fields = fields

    def get_accept_url(self, proposal) -> str:
        return api_url(self.context.get("request"), "proposal-accept", pk=proposal.pk)

    def get_reject_url(self, proposal) -> str:
        return api_url(self.context.get("request"), "proposal-reject", pk=proposal.pk)


class SourceProposalsSerializer(serializers.Serializer):
    source = serializers.CharField(help_text="The source's slug.")
    handled = serializers.IntegerField(help_text="How many were accepted or rejected.")
    total = serializers.IntegerField()
    proposals = ProposalSerializer(many=True, help_text="In reading order.")


class AcceptSerializer(KnownFieldsMixin, serializers.Serializer):
    change = serializers.DictField(
        required=False,
        help_text="Corrections: fields of the proposal's ``change`` with the values to write.",
    )
    quote = serializers.CharField(
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        help_text="The words of the sentence to quote (at most 40); the proposal's by default.",
    )


class RejectSerializer(KnownFieldsMixin, serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, help_text="Why it is rejected.")


class HandlesProposals(BasePermission):
    """Accepting and rejecting need the right to change proposals (the Editors')."""

    def has_permission(self, request, view):
        return bool(
            request.user
            and request.user.is_authenticated
            and request.user.has_perm("tracker.change_proposal")
        )


def source_proposals(request, source: Source) -> dict:
    """``GET sources/<key>/proposals/``: the source's proposals, and how many are handled."""
    counts = progress(source)
    proposals = inbox(source).select_related("text").defer("text__text")
    return {
        "source": source.slug,
        "handled": counts.handled,
        "total": counts.total,
        "proposals": ProposalSerializer(proposals, many=True, context={"request": request}).data,
    }


class HandleView(generics.GenericAPIView):
    """A write on one proposal, answered with the proposal as it now is; a refusal is a 400
    naming the fields, and nothing is written."""

    queryset = Proposal.objects.all()
    renderer_classes = [JSONRenderer]
    permission_classes = [HandlesProposals]

    def post(self, request, pk: int):
        proposal = self.get_object()
        given = self.get_serializer(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            handled = self.handle(proposal, request.user, **given.validated_data)
        except DjangoValidationError as exc:
            raise exceptions.ValidationError(exc.message_dict) from exc
        data = ProposalSerializer(handled, context={"request": request}).data
        return Response(data, status=status.HTTP_200_OK)


@extend_schema(summary="Accept a proposal", responses=ProposalSerializer)
class AcceptView(HandleView):
    """Write the proposed event, figure or citation, with the corrections given and a
    citation quoting the sentence, in one transaction."""

    serializer_class = AcceptSerializer

    def handle(self, proposal, user, **given):
        return accept(proposal, user, change=given.get("change"), quote=given.get("quote"))


@extend_schema(summary="Reject a proposal", responses=ProposalSerializer)
class RejectView(HandleView):
    """Mark the proposal rejected, keeping why."""

    serializer_class = RejectSerializer

    def handle(self, proposal, user, reason: str):
        return reject(proposal, user, reason)
