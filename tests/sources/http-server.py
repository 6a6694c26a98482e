#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
# A static file server on 127.0.0.1 for the source tests and benchmarks:
# Python's http.server with the byte ranges qemu's curl driver needs
# (the stock handler lacks them), HTTPS when given a certificate, and
# files under /private/ served only with the cookie session=drydock.
#
# Usage: http-server.py DIR PORTFILE [CERT KEY]
# Serves DIR on a free port, written to PORTFILE once listening.
import functools
import http.server
import os
import re
import ssl
import sys


class Handler(http.server.SimpleHTTPRequestHandler):
    def send_head(self):
        # Files under /private/ need the cookie "session=drydock".
        if (self.path.startswith("/private/") and
                "session=drydock" not in self.headers.get("Cookie", "")):
            self.send_error(403)
            return None
        try:
            f = open(self.translate_path(self.path), "rb")
        except OSError:
            self.send_error(404)
            return None
        size = os.fstat(f.fileno()).st_size
        start, end = 0, size - 1
        m = re.match(r"bytes=(\d+)-(\d*)$", self.headers.get("Range", ""))
        if m:
            start = int(m[1])
            end = min(int(m[2]) if m[2] else size - 1, size - 1)
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        else:
            self.send_response(200)
        f.seek(start)
        self.remaining = end - start + 1
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Content-Length", str(self.remaining))
        self.send_header("Content-Type", "application/octet-stream")
        self.end_headers()
        return f

    def copyfile(self, src, dst):
        while self.remaining > 0:
            b = src.read(min(self.remaining, 1 << 20))
            if not b:
                break
            dst.write(b)
            self.remaining -= len(b)

    def log_message(self, *args):
        pass


class Server(http.server.ThreadingHTTPServer):
    ctx = None

    # The TLS handshake happens in the connection's own thread (on its
    # first read), never in accept: a client that stalls or refuses the
    # certificate half way must not stop the server accepting others.
    def get_request(self):
        sock, addr = self.socket.accept()
        if self.ctx:
            sock = self.ctx.wrap_socket(sock, server_side=True,
                                        do_handshake_on_connect=False)
        return sock, addr

    # A client refusing the certificate is not the server's error.
    def handle_error(self, request, client_address):
        pass


# A connection that stalls is dropped after a while.
Handler.timeout = 60
server = Server(("127.0.0.1", 0),
                functools.partial(Handler, directory=sys.argv[1]))
if len(sys.argv) > 4:
    server.ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.ctx.load_cert_chain(sys.argv[3], sys.argv[4])
with open(sys.argv[2] + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(sys.argv[2] + ".tmp", sys.argv[2])
server.serve_forever()
