"""The member's own area (/doan-vien/), account activation, and the officers' invitation buttons."""

import re

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

import audit
from audit.models import AccessEvent
from portal import roles
from unions import personal_data
from unions.invitations import invitation_token_generator, invite_branch, invite_member
from unions.models import Branch, Member

PHONE_CHARACTERS = re.compile(r"\+?[\d ]+")
MAX_FAILURES_SHOWN = 10


def _own_member(request, *related):
    """The signed-in user's active member record; anyone else gets 404."""
    members = Member.objects.active().select_related(*related)
    return get_object_or_404(members, user=request.user)


@never_cache
@login_required
def home(request):
    member = _own_member(request, "branch__parent__parent__parent")
    today = timezone.localdate()
    dependants = [(child, child.age_on(today)) for child in member.dependants.all()]
    context = {
        "member": member,
        "branch_chain": [*member.branch.ancestors(), member.branch],
        "dependants": dependants,
        "breadcrumbs": [(_("Member area"), None)],
    }
    return render(request, "unions/member_home.html", context)


class ContactForm(forms.ModelForm):
    """The only fields a member changes on their own record."""

    class Meta:
        model = Member
        fields = ["phone", "email"]
        widgets = {
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }
        help_texts = {
            "phone": _("A Vietnamese number, for example 0912 345 678 or +84 912 345 678."),
        }

    def clean_phone(self):
        phone = " ".join(self.cleaned_data["phone"].split())
        if not phone:
            return ""
        digits = re.sub(r"\D", "", phone)
        if not PHONE_CHARACTERS.fullmatch(phone) or not 9 <= len(digits) <= 11:
            raise ValidationError(
                _("Enter a phone number of 9 to 11 digits (spaces and a leading + are allowed).")
            )
        return phone

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


@never_cache
@login_required
def my_data(request):
    """Everything the portal holds about the member, to download as JSON or XLSX."""
    member = _own_member(request, "user", "branch")
    kind = request.GET.get("format")
    if kind in {"json", "xlsx"}:
        audit.record(
            request,
            AccessEvent.Action.EXPORT_OWN_DATA,
            f"{member.full_name} ({kind.upper()})",
            branch_id=member.branch_id,
            member=member,
        )
        if kind == "json":
            content, content_type = personal_data.as_json(member), "application/json"
        else:
            content = personal_data.as_xlsx(member)
            content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        response = HttpResponse(content, content_type=content_type)
        name = personal_data.filename(member, kind)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "private, no-store"
        return response
    sections = [(title, len(records)) for title, records in personal_data.collect(member).items()]
    return render(
        request,
        "unions/member_data.html",
        {
            "member": member,
            "sections": sections,
            "breadcrumbs": [(_("Member area"), reverse_lazy("members:home")), (_("My data"), None)],
        },
    )


@never_cache
@login_required
def contact(request):
    member = _own_member(request, "user")
    form = ContactForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            member = form.save(commit=False)
            member._change_reason = gettext("Contact details updated by the member")
            # Only these columns are written, so an officer's edit made meanwhile is not undone.
            member.save(update_fields=["phone", "email", "updated_at"])
            user = member.user
            if member.email and user.email != member.email:
                # Password reset e-mails go to the account's address: keep it the member's.
                user.email = member.email
                user.save(update_fields=["email"])
        messages.success(request, _("Your contact details have been saved."))
        return redirect("members:home")
    return render(request, "unions/member_contact.html", {"member": member, "form": form})


class ActivateView(auth_views.PasswordResetConfirmView):
    """Set the first password from an invitation link, then sign in and land by role."""

    token_generator = invitation_token_generator
    template_name = "unions/activate.html"
    invalid_template_name = "unions/activate_invalid.html"
    success_url = reverse_lazy("accounts:landing")
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"

    def get_user(self, uidb64):
        # Only accounts of active members are activated here.
        user = super().get_user(uidb64)
        if user is not None and not Member.objects.active().filter(user=user).exists():
            return None
        return user

    def get_template_names(self):
        return [self.template_name if self.validlink else self.invalid_template_name]

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(
            self.request, _("Your password is set and you are signed in. Welcome to the portal.")
        )
        return response


activate = ActivateView.as_view()


def _back(request, obj):
    """Where an officer's button returns: the page it was on, else the object's page."""
    for target in (request.POST.get("next"), request.headers.get("referer")):
        if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return redirect(target)
    try:
        return redirect(obj.get_absolute_url())
    except NoReverseMatch:
        return redirect(roles.landing_url(request.user))


@login_required
@require_POST
def invite_member_view(request, pk):
    member = get_object_or_404(Member.objects.visible_to(request.user), pk=pk)
    try:
        sent = invite_member(member=member, by=request.user, request=request)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    except OSError:
        messages.error(request, _("The e-mail could not be sent. Please try again later."))
    else:
        if sent:
            messages.success(
                request,
                _("An invitation has been sent to %(name)s at %(email)s.")
                % {"name": member.full_name, "email": member.email},
            )
        else:
            messages.error(request, _("The e-mail could not be sent. Please try again later."))
    return _back(request, member)


@login_required
@require_POST
def invite_branch_view(request, pk):
    branch = get_object_or_404(Branch.objects.visible_to(request.user), pk=pk)
    summary = invite_branch(branch=branch, by=request.user, request=request)
    messages.info(
        request,
        _(
            "Invitations sent: %(sent)s. Without an e-mail address: %(no_email)s. "
            "Already with an account: %(has_account)s."
        )
        % {
            "sent": summary.sent,
            "no_email": summary.skipped_no_email,
            "has_account": summary.skipped_has_account,
        },
    )
    for member, reason in summary.failed[:MAX_FAILURES_SHOWN]:
        messages.error(request, f"{member.full_name} ({member.card_number}): {reason}")
    if len(summary.failed) > MAX_FAILURES_SHOWN:
        messages.error(
            request,
            _("%(count)s more invitations could not be sent.")
            % {"count": len(summary.failed) - MAX_FAILURES_SHOWN},
        )
    return _back(request, branch)
