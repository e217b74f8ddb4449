"""A real SMTP server on loopback (aiosmtpd) that keeps what it accepts and can misbehave on cue:
answer a chosen code at MAIL, RCPT or DATA, be slow at DATA or to say goodbye, or hold one recipient
at RCPT until released."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections import Counter
from email import message_from_bytes


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Sink:
    """The aiosmtpd handler. ``messages`` holds every message accepted with 250 at DATA."""

    def __init__(self):
        self.messages: list[bytes] = []
        self.reply = "250 OK"  # the answer at DATA
        self.mail_reply = "250 OK"  # the answer at MAIL FROM
        self.rcpt_replies: dict[str, str] = {}  # address -> answer at RCPT, e.g. "550 5.1.1 No such user"
        self.delay = 0.0  # seconds to think before answering DATA
        self.quit_delay = 0.0  # seconds to think before answering QUIT (the goodbye after a message)
        self.on_quit = None  # called (no arguments) as each goodbye arrives, before it is answered
        self.held: set[str] = set()  # addresses held at RCPT until `release` is set
        self.holding = threading.Event()  # set while a held address waits at RCPT
        self.release = threading.Event()
        self._lock = threading.Lock()

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.mail_reply.startswith("250"):
            envelope.mail_from = address
        return self.mail_reply

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.held:
            self.holding.set()
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait, 60)
        reply = self.rcpt_replies.get(address, "250 OK")
        if reply.startswith("250"):
            envelope.rcpt_tos.append(address)
        return reply

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.reply.startswith("250"):
            with self._lock:
                self.messages.append(envelope.content)
        return self.reply

    async def handle_QUIT(self, server, session, envelope):
        if self.on_quit is not None:  # in a thread: it may use the database, which refuses an event loop
            await asyncio.get_running_loop().run_in_executor(None, self.on_quit)
        if self.quit_delay:
            await asyncio.sleep(self.quit_delay)
        return "221 Bye"

    def message_ids(self) -> Counter:
        with self._lock:
            return Counter(message_from_bytes(raw)["Message-ID"] for raw in self.messages)


class SmtpServer:
    def __init__(self, port: int | None = None):
        from aiosmtpd.controller import Controller

        self.port, self.sink = port or free_port(), Sink()
        self.controller = Controller(self.sink, hostname="127.0.0.1", port=self.port)

    def start(self) -> SmtpServer:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.sink.release.set()
        self.controller.stop()


def wait_for(condition, seconds: float = 30.0, every: float = 0.1) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return bool(condition())
