# The sibling UDP tutorial's udp_client as shared/board.md describes it (written for these tests):
# every 2 s, send the board's message to port 6000 of the PC.
from mpython import *
import socket

PC = ("192.168.0.3", 6000)

mywifi = wifi()
mywifi.connectWiFi("ssid", "password")
s = None
try:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    while True:
        s.sendto(b'hello message from mPython\r\n', PC)
        sleep(2)
except:
    if s:
        s.close()
    mywifi.disconnectWiFi()
