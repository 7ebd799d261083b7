"""One loopback HTTP server speaking the token and profile endpoints of every provider.

URLs arrive as ``/<provider host>/<path>`` (see samizdat.identity.testing). Tests set
``profiles[path]`` to the JSON a provider documents, and read ``token_requests`` to see
what samizdat sent (the code, the PKCE verifier).
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class FakeProviders:
    def __init__(self, port: int):
        self.profiles: dict[str, object] = {}
        self.token_requests: list[dict[str, str]] = []
        # Other POST endpoints (e.g. Mastodon's app registration), by path.
        self.post_responses: dict[str, object] = {}
        self.post_requests: list[tuple[str, dict[str, str]]] = []
        self.token_status = 200
        self.token_response: dict = {
            "access_token": "token-123",
            "token_type": "bearer",
            "expires_in": 3600,
        }
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def reply(self, status, payload):
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                path = urlsplit(self.path).path
                if path in fake.post_responses:
                    fake.post_requests.append((path, form))
                    self.reply(200, fake.post_responses[path])
                    return
                if "token" not in path:
                    self.reply(404, {"error": "not found", "path": path})
                    return
                fake.token_requests.append(form)
                if fake.token_status != 200:
                    self.reply(fake.token_status, {"error": "server_error"})
                else:
                    self.reply(200, fake.token_response)

            def do_GET(self):
                path = urlsplit(self.path).path
                if "/oauth/access_token" in path:  # Facebook's token endpoint is a GET.
                    query = parse_qs(urlsplit(self.path).query)
                    fake.token_requests.append({k: v[0] for k, v in query.items()})
                    self.reply(fake.token_status, fake.token_response)
                elif path in fake.profiles:
                    self.reply(200, fake.profiles[path])
                else:
                    self.reply(404, {"error": "not found", "path": path})

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def reset(self):
        self.profiles.clear()
        self.token_requests.clear()
        self.post_responses.clear()
        self.post_requests.clear()
        self.token_status = 200
