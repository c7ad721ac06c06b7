"""The history of changes of a programme or a campaign (who, when, what), for officers in scope.
Read-only: history is never edited."""

from django.shortcuts import get_object_or_404, render

from unions.views import officer_required
from welfare.models import AidProgram, Campaign, Contribution

HISTORY_LIMIT = 200


@officer_required
def program_history(request, pk):
    program = get_object_or_404(AidProgram.objects.visible_to(request.user), pk=pk)
    entries = program.history.select_related("history_user").order_by("-history_date")[
        :HISTORY_LIMIT
    ]
    return render(request, "welfare/history.html", {"object": program, "entries": entries})


def _label(entry, campaign):
    """What an entry changed, as the object reads, with the campaign already fetched.

    ``entry.instance`` would read the fields the history leaves out, and ``Contribution.__str__``
    the campaign: two queries per entry of up to 200.
    """
    model = entry.instance_type
    instance = model(
        **{
            field.attname: getattr(entry, field.attname)
            for field in model._meta.concrete_fields
            if hasattr(entry, field.attname)
        }
    )
    if isinstance(instance, Contribution):
        instance.campaign = campaign
    return str(instance)


@officer_required
def campaign_history(request, pk):
    campaign = get_object_or_404(Campaign.objects.visible_to(request.user), pk=pk)
    entries = sorted(
        [
            *campaign.history.select_related("history_user")[:HISTORY_LIMIT],
            *Contribution.history.filter(campaign_id=campaign.pk)
            .select_related("history_user")
            .order_by("-history_date")[:HISTORY_LIMIT],
        ],
        key=lambda entry: entry.history_date,
        reverse=True,
    )[:HISTORY_LIMIT]
    for entry in entries:
        entry.label = _label(entry, campaign)
    return render(request, "welfare/history.html", {"object": campaign, "entries": entries})
