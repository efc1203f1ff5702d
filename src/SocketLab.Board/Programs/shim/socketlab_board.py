"""Runs a MicroPython board program unchanged on CPython 3, for `socketlab board run`.

Usage (by socketlab, not by hand): python3 socketlab_board.py PROGRAM.py [ARGS...]
The modules beside this file stand in for the board's: mpython (oled, wifi, buttons), network,
socket/usocket (str accepted by send, listen needs its backlog) and time/utime (sleep_ms, ticks_*).
The OLED is drawn by SocketLab (SocketLab.Board): every call goes to the socketlab process over
the loopback connection named in SOCKETLAB_BOARD_HOST, so there is one DispChar, not two.
"""
import os
import runpy
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import board_host  # noqa: E402  (connects to socketlab with the real socket module, before it is replaced)

board_host.host.hello()
import board_socket  # noqa: E402
import board_time  # noqa: E402

board_time.install()
board_socket.install()


def main():
    if len(sys.argv) < 2:
        raise SystemExit("usage: socketlab_board.py PROGRAM.py [ARGS...]")
    program = os.path.abspath(sys.argv[1])
    sys.argv = sys.argv[1:]
    sys.path.insert(0, os.path.dirname(program))
    runpy.run_path(program, run_name="__main__")


if __name__ == "__main__":
    main()
