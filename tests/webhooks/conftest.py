"""A real HTTP receiver on 127.0.0.1 (http.server in a thread), and Acme's subscription to it."""

import hashlib
import hmac
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

# The seven sub-items of sub-domain cd.cm (configuration management): all at level 1 lifts cd.cm to "1".
CM_SUBITEMS = [
    "cd.cm.vc.vcs",
    "cd.cm.vc.branch",
    "cd.cm.vc.artifact",
    "cd.cm.vc.ssot",
    "cd.cm.change.process",
    "cd.cm.change.trace",
    "cd.cm.change.rollback",
]


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """Records every request; answers with the scripted statuses in turn, then 200."""

    url: str = ""
    received: list[Received] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    delays: list[float] = field(default_factory=list)
    location: str = ""

    def next_answer(self) -> tuple[int, float]:
        status = self.statuses.pop(0) if self.statuses else 200
        delay = self.delays.pop(0) if self.delays else 0.0
        return status, delay


def verifies(secret: str, request: Received) -> bool:
    """The receiver's check, as the admin page documents it."""
    timestamp = request.headers["X-DevOps-Maturity-Timestamp"]
    message = timestamp.encode() + b"." + request.body
    expected = "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    fresh = abs(time.time() - int(timestamp)) < 300
    return fresh and hmac.compare_digest(expected, request.headers["X-DevOps-Maturity-Signature"])


def _handler_for(receiver: Receiver):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            receiver.received.append(Received(self.path, dict(self.headers.items()), body))
            status, delay = receiver.next_answer()
            time.sleep(delay)
            self.send_response(status)
            if 300 <= status < 400:
                self.send_header("Location", receiver.location or receiver.url)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(b"answer %d " % status + b"x" * 5000)

        def log_message(self, *args):
            pass

    return Handler


@pytest.fixture
def make_receiver():
    servers = []

    def start() -> Receiver:
        receiver = Receiver()
        server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(receiver))
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        servers.append(server)
        receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/levels"
        return receiver

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def receiver(make_receiver) -> Receiver:
    return make_receiver()


@pytest.fixture(autouse=True)
def private_targets_allowed(settings):
    """The receiver listens on loopback, which production refuses; tests about refusal turn this off again."""
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    settings.WEBHOOK_TIMEOUT_SECONDS = 2


@pytest.fixture
def subscription(acme, orgadmin, receiver):
    from assessment.services.webhooks import create_subscription

    return create_subscription(organisation=acme[0], actor=orgadmin, target_url=receiver.url, events=["level.changed"])


def reach_level_one_in_configuration_management(assessment, team) -> None:
    """Every sub-item of cd.cm meets level 1: its provisional level goes from "0" to "1" (nothing else moves)."""
    from assessment.services.assessments import AnswerInput, save_answers

    save_answers(assessment=assessment, actor=team, items=[AnswerInput(f"{code}@1", "met") for code in CM_SUBITEMS])
