"""A local SMTP server (aiosmtpd) on a free port that keeps every message it receives, for the mail tests."""

import email
import email.policy
import re
import socket
import time
from contextlib import contextmanager

from aiosmtpd.controller import Controller


class Catcher:
    """The messages an SMTP server received, as parsed email messages, in the order they came."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.port = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"

    def wait_for(self, to: str, count: int = 1, timeout: float = 10) -> email.message.EmailMessage:
        """Return the `count`-th message sent to an address, waiting for it to arrive (mail goes out from a thread)."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            found = [m for m in self.messages if m["To"] == to]
            if len(found) >= count:
                return found[count - 1]
            time.sleep(0.05)
        raise AssertionError(f"no message {count} to {to} within {timeout} s; got {[m['To'] for m in self.messages]}")


def link_in(message: email.message.EmailMessage) -> str:
    """Return the one web link in a message's text."""
    links = re.findall(r"https?://\S+", message.get_content())
    assert len(links) == 1, links
    return links[0]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def catch_mail():
    """Run an SMTP server on 127.0.0.1 at a free port for the block; yield its Catcher."""
    catcher = Catcher()
    catcher.port = _free_port()
    controller = Controller(catcher, hostname="127.0.0.1", port=catcher.port)
    controller.start()
    try:
        yield catcher
    finally:
        controller.stop()


def mail_config(catcher: Catcher, base_url: str = "http://localhost") -> dict:
    """Return the app settings that send mail to the catcher, with links on `base_url`."""
    return {"TIPKB_SMTP_HOST": "127.0.0.1", "TIPKB_SMTP_PORT": catcher.port, "TIPKB_SMTP_STARTTLS": False,
            "TIPKB_SMTP_FROM": "tipkb <noreply@tipkb.test>", "TIPKB_BASE_URL": base_url}
