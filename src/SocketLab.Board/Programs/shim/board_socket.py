"""socket / usocket as MicroPython 1.12 on the ESP32 has them, over CPython's real sockets.

Differences from CPython that board programs rely on: send() and sendto() accept a str (its UTF-8
bytes are sent) and send() writes everything; listen() requires its backlog; write()/read() exist.
"""
import socket as _real
import sys
import types


def _bytes(data):
    return data.encode("utf-8") if isinstance(data, str) else data


class socket(_real.socket):
    def __init__(self, af=_real.AF_INET, type=_real.SOCK_STREAM, proto=0, fileno=None):
        super().__init__(af, type, proto, fileno)

    def send(self, data):
        data = _bytes(data)
        super().sendall(data)  # the ESP32's send loops until every byte is written
        return len(data)

    def sendall(self, data):
        super().sendall(_bytes(data))

    def write(self, data):
        return self.send(data)

    def sendto(self, data, address):
        return super().sendto(_bytes(data), address)

    def read(self, size=4096):
        return self.recv(size)

    def listen(self, backlog):
        super().listen(backlog)

    def accept(self):
        fd, address = self._accept()
        return socket(self.family, self.type, self.proto, fileno=fd), address


def install():
    """Makes `import socket` and `import usocket` give this module's socket class."""
    module = types.ModuleType("usocket", __doc__)
    for name in dir(_real):
        if not name.startswith("__"):
            setattr(module, name, getattr(_real, name))
    module.socket = socket
    sys.modules["socket"] = module
    sys.modules["usocket"] = module
