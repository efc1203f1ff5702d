# Sourced by the bench/*-grid.sh scripts: builds the servers a grid compares, as commands that take the port last
# (what bench/cpu-per-message.sh runs). Needs $work (a scratch directory) and $grid (the caller's name, for errors).
# Sets: sl (this build's socketlab.dll), go_server (Go's net server, GOMAXPROCS=1), floor (the raw-epoll floor).
command -v go >/dev/null || { echo "$grid: needs golang-go (apt-get install golang-go)" >&2; exit 1; }
(cd bench/peers/go-echo && GOFLAGS=-mod=mod go build -o "$work/go-echo" .)
printf '#!/bin/sh\nGOMAXPROCS=1 exec %s -addr 127.0.0.1:$1\n' "$work/go-echo" > "$work/go-echo-port"
chmod +x "$work/go-echo-port"
dotnet build src/SocketLab -c Release -nologo -v q -clp:NoSummary >/dev/null
dotnet build bench/peers/epoll-echo -c Release -nologo -v q -clp:NoSummary >/dev/null
sl=src/SocketLab/bin/Release/net10.0/socketlab.dll
go_server="$work/go-echo-port"
floor="dotnet bench/peers/epoll-echo/bin/Release/net10.0/epoll-echo.dll"
