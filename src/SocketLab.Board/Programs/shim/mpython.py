"""mpython as the board's firmware provides it (labplus-cn/mpython), for programs run on the PC:
oled (drawn by SocketLab.Board in the socketlab process), wifi with the board's printed lines,
button_a/button_b, sleep_ms/sleep_us/sleep, and from firmware 2.3 on its print."""
import builtins as _builtins
import os as _os
import time

import network
from board_host import host as _host
from time import sleep, sleep_ms, sleep_us  # noqa: F401  (the board's mpython exports them)

_FIRMWARE = _os.environ.get("SOCKETLAB_BOARD_FIRMWARE", "latest")
_RSSI = -50  # what the board would measure is unknown on a PC: a good signal


class TextMode:
    normal = 1
    rev = 2
    trans = 3
    xor = 4


class OLED:
    """128x64; nothing reaches the glass until show()."""

    width = 128
    height = 64

    def fill(self, c):
        _host.call("fill", c=int(c))

    def fill_rect(self, x, y, w, h, c):
        _host.call("fill_rect", x=int(x), y=int(y), w=int(w), h=int(h), c=int(c))

    def pixel(self, x, y, c=None):
        if c is None:
            return _host.call("pixel", x=int(x), y=int(y))
        _host.call("pixel", x=int(x), y=int(y), c=int(c))
        return None

    def show(self):
        _host.call("show")

    def DispChar(self, s, x, y, mode=TextMode.normal, auto_return=False):
        width, next_x, next_y = _host.call("DispChar", s=str(s), x=int(x), y=int(y), mode=int(mode), auto_return=bool(auto_return))
        return (width, (next_x, next_y))


class wifi:
    def __init__(self):
        self.sta = network.WLAN(network.STA_IF)
        self.ap = network.WLAN(network.AP_IF)

    def connectWiFi(self, ssid, passwd, timeout=10):
        if self.sta.isconnected():
            self.sta.disconnect()
        self.sta.active(True)
        self.sta.connect(ssid, passwd)
        print("Connection WiFi", end="")
        print(".", end="")  # a board needs a moment: one 500-ms dot
        time.sleep_ms(500)
        print("")
        print("WiFi(%s,%sdBm) Connection Successful, Config:%s" % (ssid, str(_RSSI), str(self.sta.ifconfig())))

    def disconnectWiFi(self):
        if self.sta.isconnected():
            self.sta.disconnect()
        self.sta.active(False)
        print("disconnect WiFi...")


class Button:
    """Active low, as the board's: value() is 1 while released. Nobody presses a PC's buttons here."""

    def __init__(self, name):
        self._name = name

    def value(self):
        return 0 if _host.call("button", name=self._name) else 1

    def is_pressed(self):
        return self.value() == 0

    def was_pressed(self):
        return self.is_pressed()

    def irq(self, *args, **kwargs):
        return None


oled = OLED()
display = oled
button_a = Button("a")
button_b = Button("b")

if _FIRMWARE in ("2.3", "latest"):
    # From v2.3.0 `from mpython import *` brings this print: a space before a line starting with a CJK ideograph.
    _print = _builtins.print

    def print(_t, *args, sep=" ", end="\n"):
        _s = str(_t)[0:1]
        if "\u4e00" <= _s <= "\u9fff":
            _print(" " + str(_t), *args, sep=sep, end=end)
        else:
            _print(_t, *args, sep=sep, end=end)
