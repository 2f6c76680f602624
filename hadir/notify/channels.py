"""Delivery channels for notifications, and the registry that picks the enabled ones.

The in-app inbox is not a channel: every notification is stored and shown there. Channels push a
copy elsewhere. E-mail goes through Django's configured backend. WhatsApp and Telegram are
declared here with their configuration and address lookup so a deployment can plug a gateway in
by subclassing and overriding `send`; they do not talk to any gateway themselves.

settings.HADIR_NOTIFY_CHANNELS: names of the enabled channels (default ["email"]).
settings.HADIR_BASE_URL: absolute site address used in links sent outside the web app.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.core.mail import EmailMessage

from hadir.org.models import employee_of

if TYPE_CHECKING:
    from .models import Notification


class ChannelNotConfigured(Exception):
    """The channel lacks the settings it needs; deliveries are recorded as failed with this message."""


class Channel:
    """A way to push a notification to a user outside the inbox."""

    name: ClassVar[str] = ""
    label: ClassVar[str] = ""

    def address_for(self, user: Any) -> str:
        """Where to send for this user; "" means the user cannot be reached here (delivery skipped)."""
        raise NotImplementedError

    def send(self, notification: Notification, address: str) -> None:
        """Send or raise; the caller records the outcome."""
        raise NotImplementedError


# E-mail attachments, made when the e-mail is sent (nothing is stored): notification kind → a function of the
# notification giving [(file name, content, MIME type)]. Apps above notify register theirs in AppConfig.ready()
# (reports: the recap workbook of a scheduled recap).
Attachment = tuple[str, bytes, str]
ATTACHMENT_SOURCES: dict[str, Callable[[Notification], list[Attachment]]] = {}


def attachments_for(notification: Notification) -> list[Attachment]:
    source = ATTACHMENT_SOURCES.get(notification.kind)
    return source(notification) if source is not None else []


def absolute_url(url: str) -> str:
    if not url or url.startswith(("http://", "https://")):
        return url
    base = str(getattr(settings, "HADIR_BASE_URL", "") or "").rstrip("/")
    return f"{base}{url}" if base else url


def message_text(notification: Notification) -> str:
    link = absolute_url(notification.url)
    return notification.body + (f"\n\n{link}" if link else "")


class EmailChannel(Channel):
    name = "email"
    label = "Email"

    def address_for(self, user: Any) -> str:
        email = getattr(user, "email", "") or ""
        if not email:
            emp = employee_of(user)
            email = emp.email if emp else ""
        return str(email)

    def send(self, notification: Notification, address: str) -> None:
        message = EmailMessage(
            subject=f"[Hadir] {notification.subject}",
            body=message_text(notification),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[address],
        )
        for filename, content, mimetype in attachments_for(notification):
            message.attach(filename, content, mimetype)
        message.send(fail_silently=False)


class WhatsAppChannel(Channel):
    """WhatsApp through a gateway configured as settings.HADIR_WHATSAPP = {"api_url": ..., "token": ...}.

    Addresses are the employee's phone number in international form (62…). Subclass and implement
    `send` for the gateway the Pemda contracts; this base only validates configuration.
    """

    name = "whatsapp"
    label = "WhatsApp"

    def config(self) -> dict[str, str]:
        cfg = getattr(settings, "HADIR_WHATSAPP", None) or {}
        if not cfg.get("api_url") or not cfg.get("token"):
            raise ChannelNotConfigured("HADIR_WHATSAPP belum dikonfigurasi (api_url, token).")
        return dict(cfg)

    def address_for(self, user: Any) -> str:
        emp = employee_of(user)
        phone = "".join(ch for ch in (emp.phone if emp else "") if ch.isdigit())
        if phone.startswith("0"):
            phone = "62" + phone[1:]
        return phone

    def send(self, notification: Notification, address: str) -> None:
        self.config()
        raise ChannelNotConfigured("Gateway WhatsApp belum dipasang; turunkan WhatsAppChannel dan isi send().")


class TelegramChannel(Channel):
    """Telegram bot configured as settings.HADIR_TELEGRAM = {"bot_token": ..., "chat_ids": {username: chat_id}}.

    Subclass and implement `send` (Bot API sendMessage) when the Pemda runs a bot.
    """

    name = "telegram"
    label = "Telegram"

    def config(self) -> dict[str, Any]:
        cfg = getattr(settings, "HADIR_TELEGRAM", None) or {}
        if not cfg.get("bot_token"):
            raise ChannelNotConfigured("HADIR_TELEGRAM belum dikonfigurasi (bot_token).")
        return dict(cfg)

    def address_for(self, user: Any) -> str:
        cfg = getattr(settings, "HADIR_TELEGRAM", None) or {}
        return str((cfg.get("chat_ids") or {}).get(getattr(user, "username", ""), ""))

    def send(self, notification: Notification, address: str) -> None:
        self.config()
        raise ChannelNotConfigured("Bot Telegram belum dipasang; turunkan TelegramChannel dan isi send().")


_REGISTRY: dict[str, type[Channel]] = {}


def register_channel(cls: type[Channel]) -> type[Channel]:
    """Make a channel selectable by name in HADIR_NOTIFY_CHANNELS (usable as a class decorator)."""
    if not cls.name:
        raise ValueError("A channel needs a name.")
    _REGISTRY[cls.name] = cls
    return cls


for _cls in (EmailChannel, WhatsAppChannel, TelegramChannel):
    register_channel(_cls)


def registered_channels() -> dict[str, type[Channel]]:
    return dict(_REGISTRY)


def enabled_channels() -> list[Channel]:
    names = getattr(settings, "HADIR_NOTIFY_CHANNELS", None)
    if names is None:
        names = ["email"]
    unknown = [n for n in names if n not in _REGISTRY]
    if unknown:
        raise ChannelNotConfigured(f"Kanal notifikasi tidak dikenal: {', '.join(unknown)}")
    return [_REGISTRY[n]() for n in names]
