"""No admin pages for TOTP devices: django-otp's would show secret keys and QR codes to anyone with the
admin site. A lost device is reset by the security administrator (`/accounts/sessions/`)."""

from __future__ import annotations

from django.contrib import admin
from django_otp.plugins.otp_totp.models import TOTPDevice

if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)
