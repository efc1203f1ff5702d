"""network: the board's Wi-Fi as a learner's program sees it. The PC is already on the network, so
connect() succeeds at once; ifconfig() reports SOCKETLAB_BOARD_IP (socketlab board run --ip)."""
import os

STA_IF = 0
AP_IF = 1
_NETMASK = "255.255.255.0"


class WLAN:
    def __init__(self, interface=STA_IF):
        self._interface = interface
        self._active = False
        self._connected = False

    def active(self, is_active=None):
        if is_active is None:
            return self._active
        self._active = bool(is_active)
        if not self._active:
            self._connected = False
        return None

    def connect(self, ssid=None, password=None):
        self._active = True
        self._connected = True

    def disconnect(self):
        self._connected = False

    def isconnected(self):
        return self._connected

    def scan(self):
        return []

    def config(self, *args, **kwargs):
        return None

    def ifconfig(self):
        if not self._connected:
            return ("0.0.0.0", "0.0.0.0", "0.0.0.0", "0.0.0.0")
        ip = os.environ.get("SOCKETLAB_BOARD_IP", "127.0.0.1")
        gateway = ip.rsplit(".", 1)[0] + ".1" if ip.count(".") == 3 else ip
        return (ip, _NETMASK, gateway, gateway)
