# Bounded loads for the root diagnosis scenarios (198.18.0.0/15 or loopback, inside a test netns).
# Usage: load.py MODE DST PORT COUNT [SRC]; every mode stops after COUNT packets/attempts or 8 s.
import socket, sys, time
from socket import AF_INET, SOCK_DGRAM, SOL_SOCKET, SO_REUSEADDR, SO_RCVBUF

mode, dst, port, n = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
end = time.time() + 8
if mode == "connect-close":      # a server and short connections: each leaves a TIME_WAIT entry
    srv = socket.socket(); srv.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1); srv.bind((dst, port)); srv.listen(512)
    for i in range(n):
        if time.time() > end: break
        c = socket.socket(); c.settimeout(0.1)
        try:
            c.connect((dst, port)); a, _ = srv.accept(); a.close()
        except OSError:
            pass
        c.close()
elif mode == "udp":              # datagrams to a port (closed, or dropped by a rule)
    u = socket.socket(AF_INET, SOCK_DGRAM)
    src = sys.argv[5] if len(sys.argv) > 5 else None
    if src: u.bind((src, 0))
    for i in range(n): u.sendto(b"x" * 32, (dst, port))
elif mode == "rcvbuf":           # a receiver that never reads, with a tiny buffer
    r = socket.socket(AF_INET, SOCK_DGRAM); r.setsockopt(SOL_SOCKET, SO_RCVBUF, 1024); r.bind((dst, port))
    u = socket.socket(AF_INET, SOCK_DGRAM)
    for i in range(n): u.sendto(b"x" * 1000, (dst, port))
