# Sourced by the bench/*-grid.sh scripts: builds the servers a grid compares, as commands that take the port last
# (what bench/cpu-per-message.sh runs). Needs $work (a scratch directory) and $grid (the caller's name, for errors).
# Sets: sl (this build's socketlab.dll), go_server (Go's net server, GOMAXPROCS=1), floor (the raw-epoll floor).
# pick_server NAME (below) picks one of them, with the arguments it runs with.
command -v go >/dev/null || { echo "$grid: needs golang-go (apt-get install golang-go)" >&2; exit 1; }
(cd bench/peers/go-echo && GOFLAGS=-mod=mod go build -o "$work/go-echo" .)
printf '#!/bin/sh\nGOMAXPROCS=1 exec %s -addr 127.0.0.1:$1\n' "$work/go-echo" > "$work/go-echo-port"
chmod +x "$work/go-echo-port"
dotnet build src/SocketLab -c Release -nologo -v q -clp:NoSummary >/dev/null
dotnet build bench/peers/epoll-echo -c Release -nologo -v q -clp:NoSummary >/dev/null
sl=src/SocketLab/bin/Release/net10.0/socketlab.dll
go_server="$work/go-echo-port"
floor="dotnet bench/peers/epoll-echo/bin/Release/net10.0/epoll-echo.dll"

# pick_server NAME: sets s (the server command bench/cpu-per-message.sh runs) and args (its SERVER_ARGS) for one of
# the grids' servers: uring, epoll, socketlab (its default engine), uring-before ($BEFORE's uring engine), go, floor.
pick_server() {
  args=""
  case $1 in
    uring) s=$sl args="--engine uring" ;;
    uring-before) s=${BEFORE:?} args="--engine uring" ;;
    epoll) s=$sl args="--engine epoll" ;;
    socketlab) s=$sl ;;
    go) s=$go_server ;;
    floor) s=$floor ;;
    *) echo "$grid: no server '$1'" >&2; exit 1 ;;
  esac
}
