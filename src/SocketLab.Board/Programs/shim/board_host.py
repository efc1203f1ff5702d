"""The line to socketlab, which owns the OLED: one JSON request per line, one JSON reply per line."""
import json
import os
import socket


class Host:
    def __init__(self, address):
        host, port = address.rsplit(":", 1)
        self._sock = socket.create_connection((host, int(port)))
        self._sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._replies = self._sock.makefile("rb")

    def call(self, op, **args):
        args["op"] = op
        self._sock.sendall(json.dumps(args, ensure_ascii=False).encode("utf-8") + b"\n")
        line = self._replies.readline()
        if not line:
            raise OSError("socketlab closed the OLED channel")
        reply = json.loads(line)
        if "e" in reply:
            raise TypeError(reply["e"])
        return reply.get("r")

    def hello(self):
        """The first line: proves to socketlab that this is the program it started."""
        self.call("hello", token=os.environ.get("SOCKETLAB_BOARD_TOKEN", ""))


host = Host(os.environ["SOCKETLAB_BOARD_HOST"])
