"""time / utime: CPython's time plus MicroPython's sleep_ms, sleep_us and ticks_*."""
import sys
import time

_TICKS_PERIOD = 1 << 30  # MicroPython's ticks wrap at 2**30 on the ESP32


def sleep_ms(ms):
    time.sleep(ms / 1000)


def sleep_us(us):
    time.sleep(us / 1_000_000)


def ticks_ms():
    return int(time.monotonic() * 1000) % _TICKS_PERIOD


def ticks_us():
    return int(time.monotonic() * 1_000_000) % _TICKS_PERIOD


def ticks_add(ticks, delta):
    return (ticks + delta) % _TICKS_PERIOD


def ticks_diff(end, start):
    half = _TICKS_PERIOD // 2
    return ((end - start + half) % _TICKS_PERIOD) - half


def install():
    for f in (sleep_ms, sleep_us, ticks_ms, ticks_us, ticks_add, ticks_diff):
        setattr(time, f.__name__, f)
    sys.modules["utime"] = time
