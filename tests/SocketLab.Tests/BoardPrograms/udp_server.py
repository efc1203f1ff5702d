# The sibling UDP tutorial's udp_server as shared/board.md describes it (written for these tests):
# bind port 6000, show "ip:6000"; for each datagram print it, clear the screen, draw it at (0,15)
# and "from" + the sender's ip at (0,31).
from mpython import *
import socket

mywifi = wifi()
mywifi.connectWiFi("ssid", "password")
s = None
try:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ip = mywifi.sta.ifconfig()[0]
    s.bind((ip, 6000))
    print('waiting...')
    oled.DispChar("%s:6000" % ip, 0, 0)
    oled.show()
    while True:
        data, addr = s.recvfrom(1024)
        print('received:', data, 'from', addr)
        oled.fill(0)
        oled.DispChar(data.decode(), 0, 15)
        oled.DispChar("from" + addr[0], 0, 31)
        oled.show()
except:
    if s:
        s.close()
    mywifi.disconnectWiFi()
