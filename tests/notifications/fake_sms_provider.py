"""A fake SMS provider: a real HTTP server on loopback (port 0, a thread)
that speaks enough of Twilio's Messages API and Vonage's SMS API for the
adapters to send to it, and that calls the app back the providers' way —
status callbacks and inbound texts signed as each provider signs them.

    with FakeSmsProvider() as provider:
        settings.TWILIO_API_URL = provider.url
        provider.fail_next("429")          # the next send is refused that way
        ...                                # the app sends
        provider.sent                      # what reached it: path, fields, auth
        provider.twilio_status(client, sid, "delivered")

The callbacks go to a Django test ``Client`` (by path, the exact signed
body) or, given a base URL such as ``live_server.url``, over HTTP."""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

#: Failures the fake can be told to answer the next send with.
FAILURES = ("500", "429", "invalid_number", "unsubscribed", "throttled", "barred")

#: The address the providers call back in the tests: the public one, not the test server's.
PUBLIC_BASE_URL = "https://ops.example.org"
TWILIO_SID = "AC" + "0" * 32
TWILIO_TOKEN = "twilio-auth-token-for-tests"  # noqa: S105 - a test value
VONAGE_KEY = "vonage-key"
VONAGE_SIGNATURE_SECRET = "vonage-signature-secret-for-tests"  # noqa: S105 - a test value


def twilio_signature(url: str, fields: list[tuple[str, str]], token: str = TWILIO_TOKEN) -> str:
    """Computed as Twilio documents it, independently of the app's code."""
    data = url + "".join(f"{name}{value}" for name, value in sorted(fields))
    return base64.b64encode(hmac.new(token.encode(), data.encode(), hashlib.sha1).digest()).decode()


def vonage_signature(fields: dict[str, str], secret: str = VONAGE_SIGNATURE_SECRET, method: str = "sha256") -> str:
    """Computed as Vonage documents it, independently of the app's code."""
    text = ""
    for name in sorted(fields):
        if name != "sig":
            text += "&" + name + "=" + fields[name].replace("&", "_").replace("=", "_")
    if method == "md5hash":
        return hashlib.md5((text + secret).encode()).hexdigest()  # noqa: S324 - Vonage's scheme
    return hmac.new(secret.encode(), text.encode(), getattr(hashlib, method)).hexdigest().upper()


@dataclass
class Sent:
    """One send that reached the fake."""

    provider: str
    path: str
    fields: dict[str, str]
    authorization: str = ""
    message_id: str = ""


@dataclass
class Answer:
    status: int
    body: dict = field(default_factory=dict)


class FakeSmsProvider:
    def __init__(self, *, vonage_method: str = "sha256") -> None:
        self.sent: list[Sent] = []
        self.refused: list[Sent] = []
        self.vonage_method = vonage_method
        self._failures: list[str] = []
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> FakeSmsProvider:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def fail_next(self, failure: str, times: int = 1) -> None:
        assert failure in FAILURES, failure
        with self._lock:
            self._failures.extend([failure] * times)

    # --- The APIs ---------------------------------------------------------------

    def _handler(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                fields = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode(), keep_blank_values=True))
                path = urllib.parse.urlsplit(self.path).path
                if path.startswith("/2010-04-01/Accounts/") and path.endswith("/Messages.json"):
                    answer = provider._twilio(path, fields, self.headers.get("Authorization", ""))
                elif path == "/sms/json":
                    answer = provider._vonage(path, fields)
                else:
                    answer = Answer(404, {"error": "unknown path"})
                payload = json.dumps(answer.body).encode()
                self.send_response(answer.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args) -> None:  # quiet test output
                pass

        return Handler

    def _next_failure(self) -> str:
        with self._lock:
            return self._failures.pop(0) if self._failures else ""

    def _twilio(self, path: str, fields: dict[str, str], authorization: str) -> Answer:
        expected = "Basic " + base64.b64encode(f"{TWILIO_SID}:{TWILIO_TOKEN}".encode()).decode()
        record = Sent("twilio", path, fields, authorization)
        if authorization != expected or f"/Accounts/{TWILIO_SID}/" not in path:
            self.refused.append(record)
            return Answer(401, {"code": 20003, "message": "Authenticate", "status": 401})
        failure = self._next_failure()
        if failure:
            self.refused.append(record)
        if failure == "500":
            return Answer(500, {"code": 20500, "message": "Internal Server Error", "status": 500})
        if failure in ("429", "throttled"):
            return Answer(429, {"code": 20429, "message": "Too Many Requests", "status": 429})
        if failure == "invalid_number":
            return Answer(
                400, {"code": 21211, "message": "The 'To' number is not a valid phone number.", "status": 400}
            )
        if failure == "unsubscribed":
            return Answer(400, {"code": 21610, "message": "Attempt to send to unsubscribed recipient", "status": 400})
        if failure == "barred":
            return Answer(
                400, {"code": 21612, "message": "The 'To' phone number is not currently reachable", "status": 400}
            )
        record.message_id = f"SM{next(self._ids):032x}"
        self.sent.append(record)
        return Answer(
            201, {"sid": record.message_id, "status": "queued", "to": fields.get("To"), "from": fields.get("From")}
        )

    def _vonage(self, path: str, fields: dict[str, str]) -> Answer:
        record = Sent("vonage", path, fields)
        signed = fields.get("sig", "").lower() == vonage_signature(fields, method=self.vonage_method).lower()
        if fields.get("api_key") != VONAGE_KEY or not signed:
            self.refused.append(record)
            return Answer(
                200, {"message-count": "1", "messages": [{"status": "14", "error-text": "Invalid Signature"}]}
            )
        failure = self._next_failure()
        if failure:
            self.refused.append(record)
        if failure == "500":
            return Answer(500, {})
        if failure == "429":
            return Answer(429, {})
        statuses = {
            "throttled": ("1", "Throttled"),
            "invalid_number": ("3", "Invalid to number"),
            "barred": ("7", "Number barred"),
        }
        if failure in statuses:
            code, text = statuses[failure]
            return Answer(200, {"message-count": "1", "messages": [{"status": code, "error-text": text}]})
        record.message_id = f"{next(self._ids):016X}"
        self.sent.append(record)
        part = {"to": fields.get("to"), "message-id": record.message_id, "status": "0", "remaining-balance": "9.9"}
        return Answer(200, {"message-count": "1", "messages": [part]})

    # --- Calling the app back -----------------------------------------------------

    def twilio_status(self, target, sent: Sent, status: str, *, error_code: str = "", token: str = TWILIO_TOKEN):
        """Twilio's status callback for a message it accepted, to the StatusCallback it was given."""
        fields = [("MessageSid", sent.message_id), ("MessageStatus", status), ("AccountSid", TWILIO_SID),
                  ("To", sent.fields["To"]), ("From", sent.fields["From"])]  # fmt: skip
        if error_code:
            fields.append(("ErrorCode", error_code))
        url = sent.fields["StatusCallback"]
        return self._post_form(target, url, fields, {"X-Twilio-Signature": twilio_signature(url, fields, token)})

    def twilio_inbound(
        self, target, url: str, *, sid: str, from_number: str, to_number: str, body: str, token: str = TWILIO_TOKEN
    ):
        """Twilio's incoming-message webhook, to ``url`` (the public address set in Twilio's console)."""
        fields = [("MessageSid", sid), ("SmsSid", sid), ("AccountSid", TWILIO_SID), ("From", from_number),
                  ("To", to_number), ("Body", body), ("NumMedia", "0")]  # fmt: skip
        return self._post_form(target, url, fields, {"X-Twilio-Signature": twilio_signature(url, fields, token)})

    def vonage_status(self, target, url: str, sent: Sent, status: str, *, err_code: str = "0", as_json=False):
        """Vonage's signed delivery receipt for a message it accepted."""
        fields = {"msisdn": sent.fields["to"], "to": sent.fields["from"], "network-code": "23410",
                  "messageId": sent.message_id, "price": "0.03", "status": status, "scts": "2802141002",
                  "err-code": err_code, "message-timestamp": "2028-02-14 10:02:05",
                  "client-ref": sent.fields.get("client-ref", "")}  # fmt: skip
        return self._vonage_post(target, url, fields, as_json=as_json)

    def vonage_inbound(self, target, url: str, *, message_id: str, from_number: str, to_number: str, body: str,
                       as_json=False):  # fmt: skip
        """Vonage's signed inbound-message webhook (numbers without "+", as Vonage sends them)."""
        fields = {"msisdn": from_number.lstrip("+"), "to": to_number.lstrip("+"), "messageId": message_id,
                  "text": body, "type": "text", "keyword": body.split(" ")[0].upper() if body else "",
                  "message-timestamp": "2028-02-14 10:02:00"}  # fmt: skip
        return self._vonage_post(target, url, fields, as_json=as_json)

    def _vonage_post(self, target, url: str, fields: dict[str, str], *, as_json: bool):
        fields = {**fields, "timestamp": str(int(time.time())), "nonce": f"nonce-{next(self._ids)}"}
        fields["sig"] = vonage_signature(fields, method=self.vonage_method)
        if as_json:
            return self._post(target, url, json.dumps(fields).encode(), "application/json", {})
        return self._post_form(target, url, list(fields.items()), {})

    def _post_form(self, target, url: str, fields: list[tuple[str, str]], headers: dict[str, str]):
        body = urllib.parse.urlencode(fields).encode()
        return self._post(target, url, body, "application/x-www-form-urlencoded", headers)

    @staticmethod
    def _post(target, url: str, body: bytes, content_type: str, headers: dict[str, str]):
        """POSTs the exact body: to a Django test client by the URL's path and
        query (its host may be a proxy's, as in production), or over HTTP."""
        if isinstance(target, str):
            parts = urllib.parse.urlsplit(url)
            address = target.rstrip("/") + parts.path + (f"?{parts.query}" if parts.query else "")
            request = urllib.request.Request(  # noqa: S310 - the test's live server
                address, data=body, method="POST", headers={"Content-Type": content_type, **headers}
            )
            try:
                with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                    return response.status, response.read()
            except urllib.error.HTTPError as exc:
                return exc.code, exc.read()
        parts = urllib.parse.urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        return target.post(path, data=body, content_type=content_type, headers=headers)
