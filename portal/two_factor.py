"""Two-step sign-in (TOTP with django-otp) for the people who hold power over others' data.

Officers, editors and anyone who uses the admin (``is_staff``) must confirm each sign-in with a
six-digit code from an authenticator app when ``OTP_REQUIRED`` is on (the production default).
The first time, they add the portal to their app by scanning a QR code and receive ten one-time
recovery codes (django-otp's static device) for a lost phone. Members are not asked.

Whether a person must use it is decided once at sign-in and kept in the session, so the check on
each request costs no query; django-otp's ``OTPMiddleware`` says whether this session is verified.
"""

import base64
import io

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import user_logged_in
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.dispatch import receiver
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal import roles

NEEDS_KEY = "_portal_needs_otp"
THROTTLED = gettext_lazy("Too many wrong codes in a row. Wait a little, then type the code shown.")
RECOVERY_CODES = 10
# Addresses a person who still has to confirm the sign-in may open.
OPEN_PATHS = ("/tai-khoan/xac-thuc/", "/tai-khoan/dang-xuat/", "/static/", "/media/")


def needs_two_factor(user):
    return bool(
        user.is_authenticated and (user.is_staff or roles.is_editor(user) or roles.is_officer(user))
    )


@receiver(user_logged_in)
def _remember_need(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[NEEDS_KEY] = needs_two_factor(user)


class TwoFactorRequiredMiddleware:
    """Sends an officer, editor or staff member who has not confirmed this sign-in to the code
    page (or, the first time, to the set-up page) before anything else opens."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            settings.OTP_REQUIRED
            and user is not None
            and user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(OPEN_PATHS)
        ):
            needs = request.session.get(NEEDS_KEY)
            if needs is None:
                needs = request.session[NEEDS_KEY] = needs_two_factor(user)
            if needs:
                target = "accounts:otp_verify" if user_has_device(user) else "accounts:otp_setup"
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse(target)}?{query}")
        return self.get_response(request)


def _next_url(request):
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("accounts:landing")


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=16,
        help_text=gettext_lazy("The six digits your authenticator app shows now."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split())


def _qr_svg(text):
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    svg = svg[svg.index("<svg") :]  # drop the XML declaration
    label = _("QR code to add the portal to an authenticator app")
    return mark_safe(svg.replace("<svg", f'<svg role="img" aria-label="{label}"', 1))  # noqa: S308


def _new_recovery_codes(user):
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="recovery", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@never_cache
@login_required
def setup(request):
    """Add the portal to an authenticator app: scan, type the code, keep the recovery codes."""
    if user_has_device(request.user):
        return redirect("accounts:otp_verify")
    # One unconfirmed device per person, kept while they are setting up.
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=request.user, name=_("Authenticator app"), confirmed=False
        )
    form = CodeForm(request.POST or None)
    if form.is_valid() and not device.verify_is_allowed()[0]:
        form.add_error("code", THROTTLED)
    elif form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            with transaction.atomic():
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                codes = _new_recovery_codes(request.user)
            otp_login(request, device)
            return render(
                request,
                "security/otp_recovery_codes.html",
                {"codes": codes, "next": _next_url(request)},
            )
        form.add_error("code", _("The code is wrong or has expired. Type the code shown now."))
    return render(
        request,
        "security/otp_setup.html",
        {
            "form": form,
            "qr": _qr_svg(device.config_url),
            "secret": base64.b32encode(device.bin_key).decode().rstrip("="),
            "next": _next_url(request),
        },
    )


@never_cache
@login_required
def verify(request):
    """Confirm this sign-in with a code from the app or one recovery code."""
    if not user_has_device(request.user):
        return redirect(
            f"{reverse('accounts:otp_setup')}?{urlencode({'next': _next_url(request)})}"
        )
    form = CodeForm(request.POST or None)
    if form.is_valid():
        code = form.cleaned_data["code"]
        devices = list(devices_for_user(request.user, for_verify=True))
        if not any(device.verify_is_allowed()[0] for device in devices):
            form.add_error("code", THROTTLED)
            return render(
                request, "security/otp_verify.html", {"form": form, "next": _next_url(request)}
            )
        for device in devices:
            if device.verify_token(code):
                otp_login(request, device)
                if isinstance(device, StaticDevice):
                    left = device.token_set.count()
                    messages.warning(
                        request,
                        _("You used a recovery code; %(left)d are left.") % {"left": left},
                    )
                return redirect(_next_url(request))
        form.add_error("code", _("The code is wrong or has expired. Type the code shown now."))
    return render(request, "security/otp_verify.html", {"form": form, "next": _next_url(request)})


@never_cache
@login_required
def recovery_codes(request):
    """New recovery codes (the old ones stop working), for a verified session only."""
    if not request.user.is_verified():
        return redirect("accounts:otp_verify")
    if request.method == "POST":
        codes = _new_recovery_codes(request.user)
        return render(
            request,
            "security/otp_recovery_codes.html",
            {"codes": codes, "next": reverse("accounts:profile")},
        )
    return render(request, "security/otp_recovery_confirm.html")
